namespace Nuggets.DuckDb.Cache;

/// <summary>What a prune removed.</summary>
public sealed record PruneResult(long ZeroShotRemoved, long PairsRemoved);
