using Nuggets.Cli.Composition;
using Nuggets.Core.Configuration;
using Nuggets.Core.Models;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Scoring;
using Nuggets.DuckDb;
using Nuggets.DuckDb.Cache;
using Nuggets.Llama;
using Nuggets.Llama.Pipeline;

namespace Nuggets.Cli;

/// <summary>The composition root: the pipeline on DuckDB (data, cache) and llama.cpp (scoring).</summary>
internal static class RealServices
{
    /// <summary>How long <c>cache.wait</c> waits for another process to release the cache.</summary>
    private static readonly TimeSpan CacheWait = TimeSpan.FromHours(1);

    /// <summary>
    /// The services of a run whose score cache is <paramref name="cachePath"/> (the model identity store lives beside it):
    /// <paramref name="stop"/> ends a wait for a busy cache, and <paramref name="beforeCommit"/> (a test hook) runs inside
    /// each cache write before its COMMIT. <paramref name="datasets"/> (one per run, disposed by the caller) lets every step
    /// of the run reuse one read of each dataset file.
    /// </summary>
    public static PipelineServices Create(
        string toolVersion, string cachePath, DuckDbDatasets datasets, CancellationToken stop = default, Action<string>? beforeCommit = null) => new()
    {
        Reader = new DuckDbDatasetReader(datasets),
        Writer = new DuckDbSelectionWriter(datasets),
        StageWriter = new DuckDbStageWriter(),
        OpenCache = (path, wait) => OpenCache(path, wait, stop, beforeCommit),
        OpenSession = (model, scoring) => LlamaSessionFactory.Open(LlamaSettings.From(model, scoring), ModelHasher(cachePath)),
        ToolVersion = toolVersion,
    };

    // One open of the cache file serves both roles: the score cache and the stages' cache share its connection and lock.
    private static RunCaches OpenCache(string path, bool wait, CancellationToken stop, Action<string>? beforeCommit)
    {
        var connection = CacheConnection.Open(path, new ScoreCacheOptions(LockTimeout: wait ? CacheWait : TimeSpan.Zero, OnWait: holder => WaitNotice(path, holder))
        {
            Cancellation = stop,
            BeforeCommit = beforeCommit,
        });
        // Once per cache: says why this open took longer and that an older nuggets can no longer read the file.
        if (connection.UpgradedFromVersion is { } from)
            Console.Error.WriteLine($"nuggets: upgraded score cache {path} from schema version {from} to {CacheConnection.SchemaVersion}.");
        return new RunCaches(new ScoreCache(connection), new StageCache(connection), connection);
    }

    // Printed even with --quiet: without it a waiting run looks like a hung one.
    private static void WaitNotice(string path, int? holder) =>
        Console.Error.WriteLine($"nuggets: score cache {path} is in use by {(holder is { } pid ? $"process {pid}" : "another process")}; waiting for it (cache.wait).");

    public static ScorerFingerprint Fingerprint(NuggetsOptions options) =>
        LlamaSessionFactory.Fingerprint(LlamaSettings.From(options.Model, options.Scoring), options.Scoring.BosPolicy, ModelHasher(options.Cache.Path));

    // Hashing a model is seconds per 10 GB; the store beside the cache lets a run skip it while the file is unchanged.
    private static ModelHasher ModelHasher(string cachePath) => new(ModelIdentityStore.BesideCache(cachePath), ModelFileStamps.Of);
}
