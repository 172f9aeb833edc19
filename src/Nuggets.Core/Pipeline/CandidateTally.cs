using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>
/// One distinct candidate's walk through the anchors in their fixed order. Outcomes are consumed strictly in
/// anchor order and the walk stops at the first point the threshold decision is certain, so where it stops — and
/// therefore its wins — depends only on the sums, never on what happened to be cached.
/// </summary>
internal sealed class CandidateTally(string key, int[] tokens, ThresholdRule? pruning, int anchorCount)
{
    public string Key { get; } = key;
    public int[] Tokens { get; } = tokens;
    public int Wins { get; private set; }
    public int Position { get; private set; }
    public string? SkipReason { get; private set; }

    public bool Done => SkipReason is not null || Position == anchorCount || (pruning?.IsDecided(Wins, Position - Wins) ?? false);

    public bool Pruned => SkipReason is null && Position < anchorCount;

    /// <summary>The anchors to know next: exactly those that can be needed before a decision is possible.</summary>
    public Range NextBlock()
    {
        var count = pruning is null ? anchorCount - Position : pruning.AnchorsUntilPossibleDecision(Wins, Position - Wins);
        return Position..Math.Min(anchorCount, Position + count);
    }

    /// <summary>Consumes the outcome of the anchor at <see cref="Position"/>.</summary>
    public void Advance(bool win)
    {
        if (Done) throw new InvalidOperationException("The candidate is already decided.");
        if (win) Wins++;
        Position++;
    }

    public void Skip(string reason) => SkipReason = reason;
}
