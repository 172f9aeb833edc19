using Nuggets.Core.Configuration;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Scoring;
using Nuggets.DuckDb;
using Nuggets.DuckDb.Cache;
using Nuggets.Llama.Pipeline;

namespace Nuggets.Cli;

/// <summary>The composition root: the pipeline on DuckDB (data, cache) and llama.cpp (scoring).</summary>
internal static class RealServices
{
    /// <summary>How long <c>cache.wait</c> waits for another process to release the cache.</summary>
    private static readonly TimeSpan CacheWait = TimeSpan.FromHours(1);

    public static PipelineServices Create(string toolVersion) => new()
    {
        Reader = new DuckDbDatasetReader(),
        Writer = new DuckDbSelectionWriter(),
        StageWriter = new DuckDbStageWriter(),
        OpenCache = OpenCache,
        OpenSession = LlamaSessionFactory.Open,
        ToolVersion = toolVersion,
    };

    private static ScoreCache OpenCache(string path, bool wait)
    {
        var cache = ScoreCache.Open(path, new ScoreCacheOptions(LockTimeout: wait ? CacheWait : TimeSpan.Zero, OnWait: holder => WaitNotice(path, holder)));
        // Once per cache: says why this open took longer and that an older nuggets can no longer read the file.
        if (cache.UpgradedFromVersion is { } from)
            Console.Error.WriteLine($"nuggets: upgraded score cache {path} from schema version {from} to {ScoreCache.SchemaVersion}.");
        return cache;
    }

    // Printed even with --quiet: without it a waiting run looks like a hung one.
    private static void WaitNotice(string path, int? holder) =>
        Console.Error.WriteLine($"nuggets: score cache {path} is in use by {(holder is { } pid ? $"process {pid}" : "another process")}; waiting for it (cache.wait).");

    public static ScorerFingerprint Fingerprint(NuggetsOptions options) => LlamaSessionFactory.Fingerprint(options.Model, options.Scoring);
}
