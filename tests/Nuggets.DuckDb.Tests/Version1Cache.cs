using System.Runtime.InteropServices;
using Nuggets.Core.Data;
using Nuggets.Core.Scoring;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Tests;

/// <summary>
/// Writes a cache in schema version 1 the way nuggets before the upgrade did (its CacheSchema, copied here on purpose:
/// the product's copy may change, the files users have on disk do not): hex VARCHAR keys, embeddings as Base64 of the
/// float bits.
/// </summary>
internal sealed class Version1Cache : IDisposable
{
    private static readonly string[] Tables =
    [
        "CREATE TABLE IF NOT EXISTS nuggets_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
        "CREATE TABLE IF NOT EXISTS zero_shot (fingerprint VARCHAR NOT NULL, anchor_key VARCHAR NOT NULL, " +
        "sum DOUBLE NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (fingerprint, anchor_key))",
        "CREATE TABLE IF NOT EXISTS pairs (fingerprint VARCHAR NOT NULL, candidate_key VARCHAR NOT NULL, anchor_key VARCHAR NOT NULL, " +
        "sum DOUBLE NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (fingerprint, candidate_key, anchor_key))",
    ];

    private static readonly string[] StageTables =
    [
        "CREATE TABLE IF NOT EXISTS lift_generations (key VARCHAR PRIMARY KEY, text VARCHAR NOT NULL, stopped INTEGER NOT NULL, " +
        "failure VARCHAR NOT NULL)",
        "CREATE TABLE IF NOT EXISTS lift_embeddings (key VARCHAR PRIMARY KEY, dimension INTEGER NOT NULL, vector VARCHAR NOT NULL)",
    ];

    private readonly DuckDbSession session;

    private Version1Cache(DuckDbSession session) => this.session = session;

    /// <summary>Opens a version-1 file made by <see cref="Create"/> to add entries.</summary>
    public static Version1Cache Open(string path) => new(DuckDbSession.Open(path));

    /// <summary>Creates the file; <paramref name="withStageTables"/> false makes one from before the LIFT stages existed.</summary>
    public static Version1Cache Create(string path, bool withStageTables = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var cache = new Version1Cache(DuckDbSession.Open(path));
        foreach (var table in withStageTables ? Tables.Concat(StageTables) : Tables) cache.session.Execute(table);
        cache.session.Execute("INSERT INTO nuggets_meta VALUES ('schema_version', '1')");
        return cache;
    }

    public Version1Cache ZeroShot(string fingerprint, string anchorKey, LogProbSum sum) =>
        Run($"INSERT INTO zero_shot VALUES ({Q(fingerprint)}, {Q(anchorKey)}, {D(sum.Sum)}, {sum.Count})");

    public Version1Cache Pairs(string fingerprint, IEnumerable<PairEntry> entries)
    {
        foreach (var batch in entries.Chunk(500))
            Run("INSERT INTO pairs VALUES " + string.Join(", ", batch.Select(e =>
                $"({Q(fingerprint)}, {Q(e.CandidateKey)}, {Q(e.AnchorKey)}, {D(e.Sum.Sum)}, {e.Sum.Count})")));
        return this;
    }

    /// <summary>Pairs generated in SQL (fast enough for the hundreds of thousands a kill test needs).</summary>
    public Version1Cache ManyPairs(string fingerprint, int candidates, int anchors) =>
        Run($"INSERT INTO pairs SELECT {Q(fingerprint)}, sha256('c' || (i // {anchors})::VARCHAR), sha256('a' || (i % {anchors})::VARCHAR), " +
            $"-(i::DOUBLE / 8), 1 + i % 7 FROM range({(long)candidates * anchors}) AS r(i)");

    public Version1Cache Generation(string key, string text, bool stopped, string failure) =>
        Run($"INSERT INTO lift_generations VALUES ({Q(key)}, {Q(text)}, {(stopped ? 1 : 0)}, {Q(failure)})");

    public Version1Cache Embedding(string key, float[] vector) => EmbeddingText(key, vector.Length,
        Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())));

    public Version1Cache EmbeddingText(string key, int dimension, string text) =>
        Run($"INSERT INTO lift_embeddings VALUES ({Q(key)}, {dimension}, {Q(text)})");

    public Version1Cache Run(string sql)
    {
        session.Execute(sql);
        return this;
    }

    public void Dispose() => session.Dispose();

    private static string Q(string text) => SqlText.Literal(text);

    // "R" round-trips every double, and a string cast parses it back to the same bits (a bare literal would go through DECIMAL).
    private static string D(double value) => $"'{value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}'::DOUBLE";
}
