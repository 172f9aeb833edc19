namespace Nuggets.Core.Pipeline;

/// <summary>How a row was handled.</summary>
public enum RowStatus
{
    /// <summary>Scored (fully, or until its threshold decision was certain).</summary>
    Scored,
    /// <summary>Not scored, with a reason (too long for the context, no response...).</summary>
    Skipped,
    /// <summary>The row is an anchor and anchors are excluded from the candidates.</summary>
    Anchor,
    /// <summary>Belongs to another shard.</summary>
    OtherShard,
}

/// <summary>The outcome for one dataset row.</summary>
/// <param name="Row">0-based row position.</param>
/// <param name="ContentHash">Content hash of the row.</param>
/// <param name="Status">How it was handled.</param>
/// <param name="Wins">Anchors it improved, among those scored.</param>
/// <param name="AnchorsScored">Anchors scored (all, or fewer when pruned).</param>
/// <param name="SkipReason">Why it was skipped, when it was.</param>
public sealed record RowScore(long Row, string ContentHash, RowStatus Status, int Wins, int AnchorsScored, string? SkipReason = null)
{
    /// <summary>
    /// The row's pair matrix as outcomes, one character per anchor in the anchors' file order: <c>1</c> a win,
    /// <c>0</c> a loss, <c>-</c> not scored (pruned); null for rows that were not scored.
    /// </summary>
    public string? Outcomes { get; init; }
}
