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

    /// <summary>
    /// The services of one run: <paramref name="stop"/> ends a wait for a busy cache, and <paramref name="beforeCommit"/>
    /// (a test hook) runs inside each cache write before its COMMIT.
    /// </summary>
    public static PipelineServices Create(string toolVersion, CancellationToken stop = default, Action<string>? beforeCommit = null) => new()
    {
        Reader = new DuckDbDatasetReader(),
        Writer = new DuckDbSelectionWriter(),
        StageWriter = new DuckDbStageWriter(),
        OpenCache = (path, wait) => ScoreCache.Open(path, new ScoreCacheOptions(LockTimeout: wait ? CacheWait : TimeSpan.Zero, OnWait: holder => WaitNotice(path, holder))
        {
            Cancellation = stop,
            BeforeCommit = beforeCommit,
        }),
        OpenSession = LlamaSessionFactory.Open,
        ToolVersion = toolVersion,
    };

    // Printed even with --quiet: without it a waiting run looks like a hung one.
    private static void WaitNotice(string path, int? holder) =>
        Console.Error.WriteLine($"nuggets: score cache {path} is in use by {(holder is { } pid ? $"process {pid}" : "another process")}; waiting for it (cache.wait).");

    public static ScorerFingerprint Fingerprint(NuggetsOptions options) => LlamaSessionFactory.Fingerprint(options.Model, options.Scoring);
}
