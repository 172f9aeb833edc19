using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.Core.Scoring;
using Nuggets.Core.Stages;
using Nuggets.DuckDb.Cache;
using Nuggets.DuckDb.Sql;
using static Nuggets.DuckDb.Tests.TestKeys;

namespace Nuggets.DuckDb.Tests;

/// <summary>Caches of schema version 1 (hex VARCHAR keys, Base64 embeddings) opened by this build.</summary>
public class CacheUpgradeTests
{
    private static readonly float[] OddFloats =
        [1.5f, -0f, float.Epsilon, float.MaxValue, float.NegativeInfinity, BitConverter.Int32BitsToSingle(0x7fc01234), 1e-40f];

    private static string NewCachePath(string name) => Path.Combine(TestPaths.NewTempDirectory(name), ".nuggets", "cache.duckdb");

    private static PairEntry Pair(int candidate, int anchor) =>
        new(Candidate(candidate), Anchor(anchor), new LogProbSum(-candidate - anchor / 3.0, anchor + 1));

    /// <summary>What the file holds, read without the cache classes: schema_version and the type of every key and vector column.</summary>
    private static string Layout(string path)
    {
        using var session = DuckDbSession.Open(path, new Dictionary<string, string> { ["access_mode"] = "READ_ONLY" });
        using var result = session.Query(
            "SELECT (SELECT value FROM nuggets_meta WHERE key = 'schema_version') || ': ' || string_agg(table_name || '.' || column_name || ' ' || data_type, ', ' " +
            "ORDER BY table_name, column_name) FROM information_schema.columns WHERE column_name IN ('anchor_key', 'candidate_key', 'key', 'vector') " +
            "AND table_name <> 'nuggets_meta'");
        using var chunk = result.Next()!;
        return chunk.Vector(0).GetString(0);
    }

    private const string Version1Layout =
        "1: lift_embeddings.key VARCHAR, lift_embeddings.vector VARCHAR, lift_generations.key VARCHAR, pairs.anchor_key VARCHAR, " +
        "pairs.candidate_key VARCHAR, zero_shot.anchor_key VARCHAR";

    private const string Version2Layout =
        "2: lift_embeddings.key BLOB, lift_embeddings.vector FLOAT[], lift_generations.key BLOB, pairs.anchor_key BLOB, " +
        "pairs.candidate_key BLOB, zero_shot.anchor_key BLOB";

    private static void WriteVersion1(string path, bool withStageTables = true)
    {
        using var old = Version1Cache.Create(path, withStageTables);
        old.ZeroShot("fp1", Anchor(0), new LogProbSum(-1.25, 3)).ZeroShot("fp1", Anchor(1), new LogProbSum(-0.1 - 0.2, 4))
            .ZeroShot("fp2", Anchor(0), new LogProbSum(-7, 1))
            .Pairs("fp1", Enumerable.Range(0, 30).SelectMany(c => Enumerable.Range(0, 2).Select(a => Pair(c, a))))
            .Pairs("fp2", [Pair(0, 0)]);
        if (!withStageTables) return;
        old.Generation(Of("g1"), "generated text", stopped: true, failure: "").Generation(Of("g2"), "", stopped: false, failure: "context full")
            .Embedding(Of("e1"), OddFloats).Embedding(Of("e2"), new float[288]);
    }

    [Test]
    public void OpeningForWritingUpgradesInPlaceAndEveryValueReadsBackTheSame()
    {
        var path = NewCachePath("upgrade");
        WriteVersion1(path);
        Assert.That(Layout(path), Is.EqualTo(Version1Layout));

        using (var cache = ScoreCache.Open(path))
        {
            Assert.That(cache.Connection.UpgradedFromVersion, Is.EqualTo(1));
            Assert.That(cache.Stats(), Is.EqualTo(new[] { new FingerprintStats("fp1", 2, 60), new FingerprintStats("fp2", 1, 1) }));
            Assert.That(cache.GetZeroShot("fp1", [Anchor(0), Anchor(1)]), Is.EquivalentTo(new Dictionary<string, LogProbSum>
            {
                [Anchor(0)] = new(-1.25, 3), [Anchor(1)] = new(-0.1 - 0.2, 4),
            }));
            var candidates = Enumerable.Range(0, 30).Select(Candidate).ToList();
            var pairs = cache.GetPairs("fp1", candidates, [Anchor(0), Anchor(1)]);
            Assert.That(pairs, Has.Count.EqualTo(60));
            foreach (var c in Enumerable.Range(0, 30))
            foreach (var a in Enumerable.Range(0, 2))
                Assert.That(BitConverter.DoubleToInt64Bits(pairs[(Candidate(c), Anchor(a))].Sum), Is.EqualTo(BitConverter.DoubleToInt64Bits(Pair(c, a).Sum.Sum)));
            Assert.That(new StageCache(cache.Connection).GetGenerations([Of("g1"), Of("g2")]), Is.EquivalentTo(new Dictionary<string, GeneratedText>
            {
                [Of("g1")] = new("generated text", true, null), [Of("g2")] = new("", false, "context full"),
            }));
            var embeddings = new StageCache(cache.Connection).GetEmbeddings([Of("e1"), Of("e2")]);
            Assert.That(embeddings[Of("e1")].Select(BitConverter.SingleToInt32Bits), Is.EqualTo(OddFloats.Select(BitConverter.SingleToInt32Bits)));
            Assert.That(embeddings[Of("e2")], Is.EqualTo(new float[288]));
            // The upgraded cache takes new entries like a new one.
            cache.PutPairs("fp1", [Pair(0, 0), Pair(99, 0)]);
            Assert.That(cache.Stats()[0].Pairs, Is.EqualTo(61));
        }
        Assert.That(Layout(path), Is.EqualTo(Version2Layout));
        using var again = ScoreCache.Open(path);
        Assert.That(again.Connection.UpgradedFromVersion, Is.Null, "upgraded once");
    }

    [Test]
    public void ACacheFromBeforeTheStagesUpgradesToo()
    {
        var path = NewCachePath("upgrade-nostages");
        WriteVersion1(path, withStageTables: false);
        using (var cache = ScoreCache.Open(path))
        {
            Assert.That(cache.Connection.UpgradedFromVersion, Is.EqualTo(1));
            Assert.That(cache.GetPairs("fp2", [Candidate(0)], [Anchor(0)]).Single().Value, Is.EqualTo(Pair(0, 0).Sum));
            new StageCache(cache.Connection).PutEmbeddings([new(Of("e"), OddFloats)]);
        }
        Assert.That(Layout(path), Is.EqualTo(Version2Layout));
    }

    [Test]
    public void AnUpgradeThatFailsLeavesTheCacheAsItWas()
    {
        // The damaged embedding is met last, after zero_shot, pairs and generations were rewritten in the transaction.
        var path = NewCachePath("upgrade-fails");
        WriteVersion1(path);
        using (var old = Version1Cache.Open(path)) old.EmbeddingText(Of("bad"), 4, "not base64 of four floats");

        var error = Assert.Throws<NuggetsException>(() => ScoreCache.Open(path))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.CacheError));
        Assert.That(error.Message, Does.Contain(path).And.Contain("damaged"));
        Assert.That(Layout(path), Is.EqualTo(Version1Layout));
        using var session = DuckDbSession.Open(path, new Dictionary<string, string> { ["access_mode"] = "READ_ONLY" });
        Assert.That(session.ScalarInt64("SELECT count(*) FROM pairs"), Is.EqualTo(61));
        Assert.That(session.ScalarInt64("SELECT count(*) FROM lift_embeddings"), Is.EqualTo(3));
        Assert.That(session.ScalarInt64("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%_next'"), Is.Zero);
    }

    [Test]
    public void AKeyThatIsNotADigestFailsTheUpgradeInsteadOfBeingStoredTwice()
    {
        var path = NewCachePath("upgrade-badkey");
        using (var old = Version1Cache.Create(path)) old.Pairs("fp", [new("c0", Anchor(0), new LogProbSum(-1, 1))]);
        var error = Assert.Throws<NuggetsException>(() => ScoreCache.Open(path))!;
        Assert.That(error.Message, Does.Contain("not a lower-case hex SHA-256: c0"));
        Assert.That(Layout(path), Does.StartWith("1: "));
    }

    [Test]
    public void AReadOnlyOpenSaysHowToUpgrade()
    {
        var path = NewCachePath("upgrade-readonly");
        WriteVersion1(path);
        var error = Assert.Throws<NuggetsException>(() => ScoreCache.Open(path, new ScoreCacheOptions(ReadOnly: true)))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.CacheError));
        Assert.That(error.Message, Does.Contain("schema version 1").And.Contain("cache upgrade"));
        Assert.That(Layout(path), Is.EqualTo(Version1Layout));
    }

    [Test]
    public void ANewerCacheIsRefused()
    {
        var path = NewCachePath("upgrade-newer");
        using (ScoreCache.Open(path)) { }
        using (var session = DuckDbSession.Open(path)) session.Execute("UPDATE nuggets_meta SET value = '3' WHERE key = 'schema_version'");
        var error = Assert.Throws<NuggetsException>(() => ScoreCache.Open(path))!;
        Assert.That(error.Message, Does.Contain("schema version 3").And.Contain($"reads version {CacheConnection.SchemaVersion}"));
    }

    [Test]
    public void MergingAVersion1CacheReadsItWithoutChangingIt()
    {
        var dir = TestPaths.NewTempDirectory("upgrade-merge");
        var old = Path.Combine(dir, "old.duckdb");
        WriteVersion1(old);
        var output = Path.Combine(dir, "merged.duckdb");
        using (var first = ScoreCache.Open(output)) first.PutPairs("fp1", [Pair(0, 0), Pair(0, 1) with { Sum = new LogProbSum(-99, 1) }]);

        var merged = CacheMerger.Merge([old], output);
        Assert.That(merged, Is.EqualTo(new MergeResult(3, 59, 1)), "59 new pairs; (c0, a1) differs and keeps the output's sum");
        Assert.That(CacheMerger.Merge([old], output), Is.EqualTo(new MergeResult(0, 0, 1)), "idempotent");
        Assert.That(Layout(old), Is.EqualTo(Version1Layout), "a merge input is never written");
        using var cache = ScoreCache.Open(output);
        Assert.That(cache.Stats(), Is.EqualTo(new[] { new FingerprintStats("fp1", 2, 60), new FingerprintStats("fp2", 1, 1) }));
        Assert.That(cache.GetPairs("fp1", [Candidate(29)], [Anchor(1)]).Single().Value, Is.EqualTo(Pair(29, 1).Sum));
    }

    // The kill lands before, during or after the upgrade transaction depending on the machine; whichever it is, the
    // file holds one version whole. The pause spreads where it lands; nothing asserts on time.
    [TestCase(0)]
    [TestCase(400)]
    public void KilledWhileUpgradingLeavesVersion1OrVersion2AndNeverAMixture(int pauseMilliseconds)
    {
        var path = NewCachePath("upgrade-sigkill");
        using (var old = Version1Cache.Create(path)) old.ManyPairs("fp", candidates: 10_000, anchors: 20);
        using (var host = CacheHost.Start("upgrade", path))
        {
            host.WaitForLine(l => l == "opening", TimeSpan.FromSeconds(30));
            Thread.Sleep(pauseMilliseconds);
            host.KillHard();
        }
        var layout = Layout(path);
        Assert.That(layout, Is.EqualTo(Version1Layout).Or.EqualTo(Version2Layout));
        TestContext.Out.WriteLine($"the kill left {layout[..1]}");
        using var cache = ScoreCache.Open(path);
        Assert.That(cache.Stats(), Is.EqualTo(new[] { new FingerprintStats("fp", 0, 200_000) }));
        Assert.That(cache.GetPairs("fp", [Of("c9999")], [Of("a19")]).Single().Value, Is.EqualTo(new LogProbSum(-(199_999 / 8.0), 1 + 199_999 % 7)));
    }
}
