using Nuggets.Core.Data;
using Nuggets.DuckDb.Datasets;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb;

/// <summary>
/// Reads Parquet, JSON Lines, JSON arrays and CSV through DuckDB, streaming fixed-size chunks of examples.
/// Several files (or globs, expanded in sorted order) are one dataset whose rows are numbered 0.. in file order.
/// Built on a run's <see cref="DuckDbDatasets"/>, every call reuses the one read of each file; without one, each call
/// reads the files itself.
/// </summary>
/// <param name="datasets">The run's shared datasets; null: each call reads into its own, released when the call ends.</param>
public sealed class DuckDbDatasetReader(DuckDbDatasets? datasets = null) : IDatasetReader
{
    /// <inheritdoc />
    public DatasetDescription Describe(DatasetSource source)
    {
        using var owned = datasets is null ? new DuckDbDatasets() : null;
        var plan = (datasets ?? owned!).Plan(source);
        var files = plan.Files.Select(f => new DatasetFile(f.File.Path, f.Sha256, f.Schema.Rows)).ToList();
        var columns = plan.Files.First(f => f.Schema.Columns.Count > 0).Schema.Columns;
        return new DatasetDescription(files, files.Sum(f => f.Rows), columns);
    }

    /// <inheritdoc />
    public IEnumerable<IReadOnlyList<Example>> ReadChunks(DatasetSource source, int chunkRows = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        return Read(source, chunkRows);
    }

    private IEnumerable<IReadOnlyList<Example>> Read(DatasetSource source, int chunkRows)
    {
        using var owned = datasets is null ? new DuckDbDatasets() : null;
        var store = datasets ?? owned!;
        var plan = store.Plan(source);
        // A connection of its own: the scan streams while other steps of the run use the datasets.
        using var session = store.Connect();
        var buffer = new List<Example>(chunkRows);
        long row = 0;
        foreach (var file in plan.Files)
        {
            if (file.Table is null || file.Schema.Columns.Count == 0) continue;
            var decoder = RowDecoder.For(file, source.Columns);
            // The table holds the rows in file order (one thread, insertion order preserved), so no ORDER BY (a sort).
            using var result = session.Stream($"SELECT {decoder.SelectList} FROM {SqlText.Identifier(file.Table)}");
            decoder.Bind(result);
            long fileRow = 0;
            while (result.Next() is { } chunk)
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
        if (buffer.Count > 0) yield return buffer;
    }
}
