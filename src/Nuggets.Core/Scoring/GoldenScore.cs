namespace Nuggets.Core.Scoring;

/// <summary>The golden score (docs/scoring.md, "Golden score"): the share of anchors on which the one-shot sum beats the zero-shot sum.</summary>
public static class GoldenScore
{
    /// <summary>An anchor is a win when the candidate prefix strictly raises its response log-likelihood.</summary>
    public static bool IsWin(LogProbSum oneShot, LogProbSum zeroShot) => oneShot.Sum > zeroShot.Sum;

    /// <summary>GS = wins / M.</summary>
    public static double Of(int wins, int anchorCount) => (double)wins / anchorCount;
}
