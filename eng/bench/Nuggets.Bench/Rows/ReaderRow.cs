using System.Diagnostics;
using Nuggets.Core.Data;
using Nuggets.DuckDb;
using Nuggets.DuckDb.Sql;

namespace Nuggets.Bench.Rows;

/// <summary>
/// Row 7: streams a generated Alpaca-shaped Parquet file through <see cref="DuckDbDatasetReader"/> and computes every
/// row's <see cref="Example.ContentHash"/>, as the pipeline does when it reads candidates.
/// </summary>
internal static class ReaderRow
{
    public static RowResult Run(ChildSpec spec)
    {
        var watch = Stopwatch.StartNew();
        long rows = 0, chars = 0;
        foreach (var chunk in new DuckDbDatasetReader().ReadChunks(DatasetSource.Single(spec.CandidatesFile)))
        {
            foreach (var example in chunk) chars += example.Output.Length + example.ContentHash.Length;
            rows += chunk.Count;
        }
        return new RowResult { Row = spec.Row, Seconds = watch.Elapsed.TotalSeconds, Rows = rows, UsefulTokens = chars };
    }

    /// <summary>
    /// Writes <paramref name="rows"/> unique rows of md5 text (poorly compressible, like prose) with Alpaca-like lengths
    /// (instruction ~40–110 bytes, a third without input, output ~130–430 bytes), zstd, row groups of 100,000.
    /// </summary>
    public static void Generate(string path, long rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        using (var session = DuckDbSession.Open(null))
        {
            session.Execute(
                "COPY (SELECT 'Instruction ' || i || ': ' || repeat(md5(i::VARCHAR), 1 + i % 3) AS instruction, " +
                "CASE WHEN i % 3 = 0 THEN '' ELSE 'Input ' || md5((i * 7)::VARCHAR) END AS input, " +
                "repeat(md5((i * 13)::VARCHAR) || ' ', 4 + i % 9) AS output " +
                $"FROM range({rows}) t(i)) TO {SqlText.Literal(partial)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)");
        }
        File.Move(partial, path, overwrite: true);
    }
}
