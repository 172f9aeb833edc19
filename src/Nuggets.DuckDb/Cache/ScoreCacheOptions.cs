namespace Nuggets.DuckDb.Cache;

/// <summary>How a cache file (<see cref="CacheConnection"/>: the score cache and the stages' cache) is opened.</summary>
/// <param name="LockTimeout">How long to wait while another process holds the cache; zero (the default) fails at
/// once with <see cref="Core.ExitCodes.CacheLocked"/>.</param>
/// <param name="ReadOnly">Open without writing (stats, merge inputs); the file must exist.</param>
/// <param name="OnWait">Called once, with the holder's process id when DuckDB names it, when the cache is found held by
/// another process and the open starts waiting (only with a non-zero <paramref name="LockTimeout"/>).</param>
public sealed record ScoreCacheOptions(TimeSpan LockTimeout = default, bool ReadOnly = false, Action<int?>? OnWait = null)
{
    /// <summary>Fail at once when the cache is in use; open for writing.</summary>
    public static ScoreCacheOptions Default { get; } = new();

    /// <summary>Ends a wait for another process's lock early, with <see cref="OperationCanceledException"/> (a stopped run).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// Called inside every write transaction of the pipeline's puts, after the rows are in and just before COMMIT, with
    /// what is written (<c>zero-shot</c>, <c>pairs</c>, <c>generations</c>, <c>embeddings</c>). A fault-injection point:
    /// tests hold the process there to end it with a transaction in flight.
    /// </summary>
    public Action<string>? BeforeCommit { get; init; }
}
