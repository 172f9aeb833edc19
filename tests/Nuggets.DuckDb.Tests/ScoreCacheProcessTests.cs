using Nuggets.Core;
using Nuggets.DuckDb.Cache;

namespace Nuggets.DuckDb.Tests;

/// <summary>The cache across processes: SIGKILL mid-write, and a second writer.</summary>
public class ScoreCacheProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const int Batch = 500;

    [TestCase(3)]
    [TestCase(17)]
    public void KilledWhileWritingLeavesAUsableCacheMissingOnlyTheBatchInFlight(int batchesBeforeKill)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("cache-sigkill"), "cache.duckdb");
        int committed;
        using (var writer = CacheHost.Start("write", path, Batch.ToString()))
        {
            var line = writer.WaitForLine(l => l == $"committed {batchesBeforeKill}", Timeout);
            writer.KillHard();
            // The child kept writing until the kill landed: its last report is the last batch known committed.
            line = writer.RemainingLines().LastOrDefault(l => l.StartsWith("committed ", StringComparison.Ordinal)) ?? line;
            committed = int.Parse(line["committed ".Length..]) + 1;
        }

        using var cache = ScoreCache.Open(path);
        var pairs = cache.Stats().Single().Pairs;
        // Every reported commit survived; at most one more batch (committed but not yet reported) may be there; never part of one.
        Assert.That(pairs, Is.AnyOf((long)committed * Batch, (long)(committed + 1) * Batch));
        var all = cache.GetPairs("fp", Enumerable.Range(0, committed).Select(TestKeys.Candidate).ToList(),
            Enumerable.Range(0, Batch).Select(TestKeys.Anchor).ToList());
        Assert.That(all, Has.Count.EqualTo(committed * Batch));
        cache.PutPairs("fp", [new(TestKeys.Of("after"), TestKeys.Of("kill"), new Core.Scoring.LogProbSum(-1, 1))]);
    }

    [Test]
    public void ASecondWriterIsToldWhichProcessHoldsTheCache()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("cache-locked"), "cache.duckdb");
        using var holder = CacheHost.Start("hold", path);
        holder.WaitForLine(l => l == "ready", Timeout);

        var error = Assert.Throws<NuggetsException>(() => ScoreCache.Open(path))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.CacheLocked));
        Assert.That(error.Message, Does.Contain(path).And.Contain($"in use by process {holder.Pid}"));

        var merge = Assert.Throws<NuggetsException>(() =>
            CacheMerger.Merge([path], Path.Combine(Path.GetDirectoryName(path)!, "merged.duckdb")))!;
        Assert.That(merge.ExitCode, Is.EqualTo(ExitCodes.CacheLocked));
        Assert.That(merge.Message, Does.Contain($"process {holder.Pid}"));
    }

    [Test]
    public void AWriterAskedToWaitGetsTheCacheWhenTheHolderLeaves()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("cache-wait"), "cache.duckdb");
        using var holder = CacheHost.Start("hold", path);
        holder.WaitForLine(l => l == "ready", Timeout);

        // The holder is released only once the open says it is waiting, so the open waits at any machine speed.
        using var waiting = new ManualResetEventSlim();
        int? waitedFor = null;
        var released = false;
        var release = Task.Run(() =>
        {
            if (!waiting.Wait(Timeout)) return;
            Volatile.Write(ref released, true);
            holder.Release();
        });
        using var cache = ScoreCache.Open(path, new ScoreCacheOptions(LockTimeout: Timeout, OnWait: pid =>
        {
            waitedFor = pid;
            waiting.Set();
        }));
        Assert.That(waitedFor, Is.EqualTo(holder.Pid), "it found the cache held by the holder and waited");
        Assert.That(Volatile.Read(ref released), Is.True, "opened only after the holder was released");
        Assert.That(cache.Stats(), Is.Empty);
        release.Wait(Timeout);
    }

    [Test]
    public void AWriterNotAskedToWaitDoesNotCallTheWaitCallback()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("cache-nowait"), "cache.duckdb");
        using var holder = CacheHost.Start("hold", path);
        holder.WaitForLine(l => l == "ready", Timeout);
        var called = false;
        var error = Assert.Throws<NuggetsException>(() => ScoreCache.Open(path, new ScoreCacheOptions(OnWait: _ => called = true)))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.CacheLocked));
        Assert.That(called, Is.False, "no wait, so no notice");
    }
}
