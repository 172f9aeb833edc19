using System.Globalization;
using System.Text.RegularExpressions;

namespace Nuggets.Core.Stages;

/// <summary>A judge's reply read as a score, or why it could not be.</summary>
/// <param name="Score">The score in [0, 100], or null.</param>
/// <param name="Problem">Why there is no score, or null.</param>
public sealed record JudgeAnswer(int? Score, string? Problem);

/// <summary>LIFT's quality score: the judge's 0–100 (first integer of the reply) blended with a length score.</summary>
public static partial class JudgeScoring
{
    /// <summary>The percentile of response lengths that scores 100.</summary>
    public const double LengthPercentile = 98;

    /// <summary>Reads the first integer of <paramref name="reply"/>; none, or one above 100, is a problem, never a 0.</summary>
    public static JudgeAnswer Parse(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var match = FirstInteger().Match(reply);
        if (!match.Success) return new JudgeAnswer(null, "no number in the judge's reply");
        // Long digit runs overflow int; they are out of range either way.
        if (!int.TryParse(match.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var score) || score > 100)
            return new JudgeAnswer(null, "judge's score above 100");
        return new JudgeAnswer(score, null);
    }

    /// <summary>
    /// Length scores: 100 × length / (the 98th percentile of <paramref name="lengths"/>, nearest rank), capped at 100;
    /// all 0 when that percentile is 0.
    /// </summary>
    public static double[] LengthScores(IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.Count == 0) return [];
        var sorted = lengths.Order().ToArray();
        var rank = (int)Math.Ceiling(LengthPercentile / 100 * sorted.Length);
        var reference = sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
        return lengths.Select(l => reference > 0 ? Math.Min(100, 100.0 * l / reference) : 0).ToArray();
    }

    /// <summary>The final score: weight × judge + (1 − weight) × length score (LIFT: 0.9 and 0.1).</summary>
    public static double Final(int judge, double lengthScore, double judgeWeight) => judgeWeight * judge + (1 - judgeWeight) * lengthScore;

    [GeneratedRegex(@"\d+")]
    private static partial Regex FirstInteger();
}
