namespace Nuggets.Core.Scoring;

/// <summary>
/// The selection rule GS &gt; t as whole numbers of wins, and what it implies for exact pruning: with M anchors a
/// candidate is selected iff wins ≥ <see cref="WinsNeeded"/>, so once that many wins are seen it is certainly
/// selected, and once M − WinsNeeded + 1 losses are seen it certainly is not.
/// </summary>
public sealed class ThresholdRule
{
    /// <summary>Builds the rule for threshold <paramref name="threshold"/> over <paramref name="anchorCount"/> anchors.</summary>
    public ThresholdRule(double threshold, int anchorCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(anchorCount, 1);
        Threshold = threshold;
        AnchorCount = anchorCount;
        // The same floating-point comparison the final selection uses decides the boundary, so pruned and full
        // scoring can never disagree on a candidate sitting exactly at the threshold.
        var needed = 0;
        while (needed <= anchorCount && !Selects(needed)) needed++;
        WinsNeeded = needed;
    }

    /// <summary>The threshold t.</summary>
    public double Threshold { get; }

    /// <summary>M, the number of anchors.</summary>
    public int AnchorCount { get; }

    /// <summary>Fewest wins with wins / M &gt; t; M + 1 when no candidate can be selected.</summary>
    public int WinsNeeded { get; }

    /// <summary>The selection rule itself: golden score wins / M &gt; t.</summary>
    public bool Selects(int wins) => GoldenScore.Of(wins, AnchorCount) > Threshold;

    /// <summary>True once the outcome is certain after <paramref name="wins"/> wins and <paramref name="losses"/> losses.</summary>
    public bool IsDecided(int wins, int losses) => wins >= WinsNeeded || losses >= AnchorCount - WinsNeeded + 1;

    /// <summary>
    /// How many more anchors must be scored, at least, before the outcome can be certain. Scoring exactly this many
    /// next wastes nothing: no decision can fall earlier.
    /// </summary>
    public int AnchorsUntilPossibleDecision(int wins, int losses) =>
        IsDecided(wins, losses) ? 0 : Math.Min(WinsNeeded - wins, AnchorCount - WinsNeeded + 1 - losses);
}
