using Nuggets.DuckDb.Cache;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Tests;

/// <summary>
/// Bytes per pair of the cache formats (README, "Cache size"): a measurement, not a check, so it runs only when named:
/// <c>dotnet test tests/Nuggets.DuckDb.Tests -c Release --filter "FullyQualifiedName~CacheSizeMeasurement" --logger "console;verbosity=detailed"</c>.
/// Keys are SHA-256 digests, each candidate paired with every anchor, sums random doubles — the shape of a real cache.
/// </summary>
[Explicit("a measurement that writes a few hundred MB; run it by name")]
public class CacheSizeMeasurement
{
    [TestCase(12_500, 20)]
    public void BytesPerPair(int candidates, int anchors)
    {
        var dir = TestPaths.NewTempDirectory("cache-size");
        var pairs = (long)candidates * anchors;
        var v1 = Path.Combine(dir, "v1.duckdb");
        using (var old = Version1Cache.Create(v1))
        {
            // In commits of 2048 pairs, as runs write them (cache.commitPairs).
            for (long start = 0; start < pairs; start += 2048)
                old.Run($"INSERT INTO pairs SELECT 'a8dda02a235bee269fff118da47ee96f', sha256('c' || (i // {anchors})::VARCHAR), " +
                        $"sha256('a' || (i % {anchors})::VARCHAR), -random() * 500, 1 + (random() * 300)::INTEGER " +
                        $"FROM range({start}, {Math.Min(start + 2048, pairs)}) AS r(i)");
        }
        Report("version 1 (hex VARCHAR keys, primary key)", v1, pairs);

        var upgraded = Path.Combine(dir, "upgraded.duckdb");
        File.Copy(v1, upgraded);
        using (ScoreCache.Open(upgraded)) { }
        Report("version 1 upgraded in place", upgraded, pairs);

        var fresh = Path.Combine(dir, "fresh.duckdb");
        CacheMerger.Merge([v1], fresh);
        Report("version 2 written fresh (merge)", fresh, pairs);
    }

    /// <summary>Bytes per pair of existing cache files (either version), named in NUGGETS_MEASURE_CACHE (separated by ':').</summary>
    [Test]
    public void OfFiles()
    {
        var files = Environment.GetEnvironmentVariable("NUGGETS_MEASURE_CACHE");
        if (string.IsNullOrEmpty(files)) Assert.Ignore("set NUGGETS_MEASURE_CACHE to cache files");
        foreach (var path in files.Split(':'))
        {
            long pairs;
            using (var session = DuckDbSession.Open(path, new Dictionary<string, string> { ["access_mode"] = "READ_ONLY" }))
                pairs = session.ScalarInt64("SELECT count(*) FROM pairs");
            Report($"{path} ({pairs:N0} pairs)", path, pairs);
        }
    }

    private static void Report(string what, string path, long pairs)
    {
        var bytes = new FileInfo(path).Length;
        TestContext.Out.WriteLine($"{what,-45} {bytes,14:N0} bytes {bytes / (double)pairs,8:F1} bytes/pair");
        using var session = DuckDbSession.Open(path, new Dictionary<string, string> { ["access_mode"] = "READ_ONLY" });
        using var result = session.Query("SELECT block_size || ' ' || total_blocks || ' ' || used_blocks || ' ' || free_blocks FROM pragma_database_size()");
        using var chunk = result.Next()!;
        // A file keeps freed blocks for reuse (and a version-1 file has many: its index is rewritten at checkpoints).
        TestContext.Out.WriteLine("   block_size total_blocks used_blocks free_blocks: " + chunk.Vector(0).GetString(0));
    }
}
