using Nuggets.Core.Data;
using Nuggets.DuckDb;
using Nuggets.DuckDb.Sql;

namespace Nuggets.Bench;

/// <summary>
/// The texts: rows of <c>shared/data/alpaca/alpaca_2k.parquet</c>, anchors from row 0, candidates from row 1000 (so
/// the two never overlap), each written as a Parquet file of exactly the rows a run uses.
/// </summary>
internal sealed class Workload(string shared, string folder)
{
    public const int CandidateOffset = 1000;

    private static string Source(string shared) => Path.Combine(shared, "data", "alpaca", "alpaca_2k.parquet");

    /// <summary>The first <paramref name="count"/> anchor rows.</summary>
    public string Anchors(int count) => Slice($"anchors-{count}", 0, count);

    /// <summary>The first <paramref name="count"/> candidate rows.</summary>
    public string Candidates(int count) => Slice($"candidates-{count}", CandidateOffset, count);

    private string Slice(string name, int offset, int count)
    {
        if (count > CandidateOffset) throw new ArgumentOutOfRangeException(nameof(count), $"at most {CandidateOffset} rows");
        var path = Path.Combine(folder, name + ".parquet");
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(folder);
        using var session = DuckDbSession.Open(null);
        // One file, one thread: rows come back in file order, so LIMIT/OFFSET picks the same rows every time.
        session.Execute("SET threads = 1");
        session.Execute($"COPY (SELECT instruction, input, output FROM read_parquet({SqlText.Literal(Source(shared))}) " +
                        $"LIMIT {count} OFFSET {offset}) TO {SqlText.Literal(path)} (FORMAT parquet)");
        return path;
    }

    /// <summary>Rows of the sample as examples (for the random model's vocabulary).</summary>
    public static IEnumerable<Example> ReadAlpaca(string shared, int offset, int count) =>
        new DuckDbDatasetReader().ReadChunks(DatasetSource.Single(Source(shared))).SelectMany(c => c).Skip(offset).Take(count);
}
