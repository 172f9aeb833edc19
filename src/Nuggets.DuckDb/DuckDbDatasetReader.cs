using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.Core.Output;
using Nuggets.DuckDb.Datasets;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb;

/// <summary>
/// Reads Parquet, JSON Lines, JSON arrays and CSV through DuckDB, streaming fixed-size chunks of examples.
/// Several files (or globs, expanded in sorted order) are one dataset whose rows are numbered 0.. in file order.
/// </summary>
public sealed class DuckDbDatasetReader : IDatasetReader
{
    /// <inheritdoc />
    public DatasetDescription Describe(DatasetSource source)
    {
        using var session = ReaderSession.Open();
        var plan = DatasetPlan.Build(source, session, countRows: true);
        var files = plan.Files
            .Select(f => new DatasetFile(f.File.Path, FileHash.Sha256Of(f.File.Path), f.Schema.Rows))
            .ToList();
        var columns = plan.Files.First(f => f.Schema.Columns.Count > 0).Schema.Columns;
        return new DatasetDescription(files, files.Sum(f => f.Rows), columns);
    }

    /// <inheritdoc />
    public IEnumerable<IReadOnlyList<Example>> ReadChunks(DatasetSource source, int chunkRows = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        return Read(source, chunkRows);
    }

    private static IEnumerable<IReadOnlyList<Example>> Read(DatasetSource source, int chunkRows)
    {
        using var session = ReaderSession.Open();
        // Rows are not counted up front (a text file would be parsed twice); emptiness is found at the end.
        var plan = DatasetPlan.Build(source, session, countRows: false);
        var buffer = new List<Example>(chunkRows);
        long row = 0;
        foreach (var file in plan.Files)
        {
            if (file.Schema.Columns.Count == 0) continue;
            var decoder = RowDecoder.For(file, source.Columns);
            using var result = DatasetErrors.OnFile(file.File,
                () => session.Stream($"SELECT {decoder.SelectList} FROM {ScanSql.For(file.File)}"));
            decoder.Bind(result);
            long fileRow = 0;
            while (Next(result, file.File) is { } chunk)
            {
                using (chunk)
                {
                    for (var index = 0; index < chunk.Size; index++)
                    {
                        buffer.Add(decoder.Decode(chunk, index, row++, fileRow++));
                        if (buffer.Count < chunkRows) continue;
                        yield return buffer;
                        buffer = new List<Example>(chunkRows);
                    }
                }
            }
        }
        if (row == 0) throw DatasetPlan.Empty(plan.Files.Select(f => f.File.Path));
        if (buffer.Count > 0) yield return buffer;
    }

    // A corrupt page surfaces only when its chunk is fetched, so fetching is where the file gets named.
    private static DataChunk? Next(QueryResult result, ResolvedFile file)
    {
        try
        {
            return result.Next();
        }
        catch (DuckDbException e)
        {
            throw DatasetErrors.Corrupt(file, e);
        }
    }
}
