namespace Nuggets.DuckDb.Cache;

/// <summary>What a merge added to the output cache.</summary>
/// <param name="ZeroShotAdded">Zero-shot entries that were not there yet.</param>
/// <param name="PairsAdded">One-shot entries that were not there yet.</param>
/// <param name="Conflicts">Keys present on both sides with different sums; the output keeps the value it had first.
/// Non-zero means two scorers with one fingerprint disagreed (e.g. a fingerprint that misses a setting).</param>
public sealed record MergeResult(long ZeroShotAdded, long PairsAdded, long Conflicts);
