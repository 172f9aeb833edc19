using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.Core.Scoring;
using Nuggets.Core.Stages;
using Nuggets.DuckDb.Cache;
using static Nuggets.DuckDb.Tests.TestKeys;

namespace Nuggets.DuckDb.Tests;

public class ScoreCacheTests
{
    private static string NewCachePath(string name) => Path.Combine(TestPaths.NewTempDirectory(name), ".nuggets", "cache.duckdb");

    private static PairEntry Pair(int candidate, int anchor) =>
        new(Candidate(candidate), Anchor(anchor), new LogProbSum(-candidate - anchor / 100.0, anchor + 1));

    [Test]
    public void SumsRoundTripPerFingerprint()
    {
        var path = NewCachePath("cache-roundtrip");
        using (var cache = ScoreCache.Open(path))
        {
            cache.PutZeroShot("fp1", [new(Anchor(0), new LogProbSum(-1.25, 3)), new(Anchor(1), new LogProbSum(-2.5, 4))]);
            cache.PutPairs("fp1", [Pair(0, 0), Pair(0, 1), Pair(1, 0)]);
            cache.PutPairs("fp2", [Pair(0, 0)]);
        }
        using (var cache = ScoreCache.Open(path))
        {
            Assert.That(cache.GetZeroShot("fp1", [Anchor(0), Anchor(1), Anchor(9)]), Is.EquivalentTo(new Dictionary<string, LogProbSum>
            {
                [Anchor(0)] = new(-1.25, 3), [Anchor(1)] = new(-2.5, 4),
            }));
            Assert.That(cache.GetZeroShot("fp2", [Anchor(0)]), Is.Empty);
            var pairs = cache.GetPairs("fp1", [Candidate(0), Candidate(1)], [Anchor(0), Anchor(1)]);
            Assert.That(pairs.Keys, Is.EquivalentTo(new[] { (Candidate(0), Anchor(0)), (Candidate(0), Anchor(1)), (Candidate(1), Anchor(0)) }));
            Assert.That(pairs[(Candidate(0), Anchor(1))], Is.EqualTo(Pair(0, 1).Sum));
            Assert.That(cache.GetPairs("fp1", [Candidate(0)], [Anchor(1)]).Keys, Is.EqualTo(new[] { (Candidate(0), Anchor(1)) }));
            Assert.That(cache.Stats(), Is.EqualTo(new[] { new FingerprintStats("fp1", 2, 3), new FingerprintStats("fp2", 0, 1) }));
        }
        Assert.That(CacheConnection.DefaultPath(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(path))!, "nuggets.config.json")), Is.EqualTo(path));
    }

    [Test]
    public void ScoreAndStageCachesShareOneFileAndTheirOwnerClosesIt()
    {
        var path = NewCachePath("cache-roles");
        using (var connection = CacheConnection.Open(path))
        {
            // A cache over a connection it did not open leaves the connection open when disposed.
            using (var scores = new ScoreCache(connection)) scores.PutPairs("fp", [Pair(0, 0)]);
            new StageCache(connection).PutGenerations([new(Anchor(0), new GeneratedText("text", true))]);
            Assert.That(new ScoreCache(connection).Stats().Single().Pairs, Is.EqualTo(1));
            // The file is held once: a second open in this process is refused.
            Assert.That(Assert.Throws<NuggetsException>(() => CacheConnection.Open(path))!.ExitCode, Is.EqualTo(ExitCodes.CacheLocked));
        }
        using var reopened = ScoreCache.Open(path);
        Assert.That(reopened.GetPairs("fp", [Candidate(0)], [Anchor(0)]).Single().Value, Is.EqualTo(Pair(0, 0).Sum));
        Assert.That(new StageCache(reopened.Connection).GetGenerations([Anchor(0)])[Anchor(0)], Is.EqualTo(new GeneratedText("text", true)));
    }

    [Test]
    public void PuttingAKeyAgainKeepsOneEntry()
    {
        using var cache = ScoreCache.Open(NewCachePath("cache-idempotent"));
        cache.PutPairs("fp", [Pair(0, 0), Pair(0, 0), Pair(1, 1)]);
        cache.PutPairs("fp", [Pair(0, 0), Pair(2, 2)]);
        Assert.That(cache.Stats().Single().Pairs, Is.EqualTo(3));
    }

    [Test]
    public void MergeOfShardCachesEqualsOneRunAndIsIdempotent()
    {
        var dir = TestPaths.NewTempDirectory("cache-merge");
        var all = Enumerable.Range(0, 40).SelectMany(c => Enumerable.Range(0, 10).Select(a => (Candidate: c, Entry: Pair(c, a)))).ToList();
        var zero = Enumerable.Range(0, 10).Select(a => new KeyValuePair<string, LogProbSum>(Anchor(a), new LogProbSum(-a, a + 1))).ToList();
        string Build(string name, IEnumerable<PairEntry> pairs)
        {
            var path = Path.Combine(dir, name);
            using var cache = ScoreCache.Open(path);
            cache.PutZeroShot("fp", zero);
            cache.PutPairs("fp", pairs.ToList());
            return path;
        }
        var single = Build("single.duckdb", all.Select(p => p.Entry));
        // Shards by candidate, overlapping on candidate 19-20 as retried work would.
        var shardA = Build("a.duckdb", all.Where(p => p.Candidate <= 20).Select(p => p.Entry));
        var shardB = Build("b.duckdb", all.Where(p => p.Candidate >= 19).Select(p => p.Entry));
        var merged = Path.Combine(dir, "merged.duckdb");

        var first = CacheMerger.Merge([shardA, shardB], merged);
        Assert.That(first, Is.EqualTo(new MergeResult(10, 400, 0)));
        var again = CacheMerger.Merge([shardB, shardA], merged);
        Assert.That(again, Is.EqualTo(new MergeResult(0, 0, 0)), "merging the same caches again adds nothing");

        var keys = all.Select(p => p.Entry.CandidateKey).Distinct().ToList();
        var anchors = zero.Select(z => z.Key).ToList();
        using var fromMerge = ScoreCache.Open(merged);
        using var fromOneRun = ScoreCache.Open(single);
        Assert.That(fromMerge.Stats(), Is.EqualTo(fromOneRun.Stats()));
        Assert.That(fromMerge.GetPairs("fp", keys, anchors), Is.EquivalentTo(fromOneRun.GetPairs("fp", keys, anchors)));
        Assert.That(fromMerge.GetZeroShot("fp", anchors), Is.EquivalentTo(fromOneRun.GetZeroShot("fp", anchors)));
    }

    [Test]
    public void MergeReportsDisagreeingSums()
    {
        var dir = TestPaths.NewTempDirectory("cache-conflict");
        var a = Path.Combine(dir, "a.duckdb");
        var b = Path.Combine(dir, "b.duckdb");
        using (var cache = ScoreCache.Open(a)) cache.PutPairs("fp", [Pair(0, 0)]);
        using (var cache = ScoreCache.Open(b)) cache.PutPairs("fp", [Pair(0, 0) with { Sum = new LogProbSum(-9, 1) }]);
        Assert.That(CacheMerger.Merge([a, b], Path.Combine(dir, "out.duckdb")), Is.EqualTo(new MergeResult(0, 1, 1)));
    }

    [Test]
    public void PruneDropsOtherFingerprints()
    {
        using var cache = ScoreCache.Open(NewCachePath("cache-prune"));
        cache.PutPairs("old", [Pair(0, 0), Pair(1, 0)]);
        cache.PutZeroShot("old", [new(Anchor(0), new LogProbSum(-1, 1))]);
        cache.PutPairs("new", [Pair(0, 0)]);
        Assert.That(cache.Prune("new"), Is.EqualTo(new PruneResult(1, 2)));
        Assert.That(cache.Stats(), Is.EqualTo(new[] { new FingerprintStats("new", 0, 1) }));
    }

    [Test]
    public void ReadOnlyOpenReadsButDoesNotCreate()
    {
        var path = NewCachePath("cache-readonly");
        var missing = Assert.Throws<NuggetsException>(() => ScoreCache.Open(path, new ScoreCacheOptions(ReadOnly: true)))!;
        Assert.That(missing.ExitCode, Is.EqualTo(ExitCodes.CacheError));
        Assert.That(File.Exists(path), Is.False);
        using (var cache = ScoreCache.Open(path)) cache.PutPairs("fp", [Pair(0, 0)]);
        using var reader = ScoreCache.Open(path, new ScoreCacheOptions(ReadOnly: true));
        Assert.That(reader.Stats(), Is.EqualTo(new[] { new FingerprintStats("fp", 0, 1) }));
        Assert.That(reader.GetPairs("fp", [Candidate(0)], [Anchor(0)]), Has.Count.EqualTo(1));
        var write = Assert.Throws<NuggetsException>(() => reader.PutPairs("fp", [Pair(1, 1)]))!;
        Assert.That(write.ExitCode, Is.EqualTo(ExitCodes.CacheError));
    }

    [Test]
    public void ANonCacheFileIsACacheError()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("cache-garbage"), "cache.duckdb");
        File.WriteAllText(path, "this is not a database");
        var error = Assert.Throws<NuggetsException>(() => ScoreCache.Open(path))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.CacheError));
        Assert.That(error.Message, Does.Contain(path));
        var missing = Assert.Throws<NuggetsException>(() => CacheMerger.Merge([path + ".missing"], path + ".out"))!;
        Assert.That(missing.ExitCode, Is.EqualTo(ExitCodes.CacheError));
    }

    [Test]
    public void ASecondOpenInThisProcessIsRefused()
    {
        var path = NewCachePath("cache-inprocess");
        using var first = ScoreCache.Open(path);
        var error = Assert.Throws<NuggetsException>(() => ScoreCache.Open(path))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.CacheLocked));
        Assert.That(error.Message, Does.Contain($"process {Environment.ProcessId}"));
    }
}
