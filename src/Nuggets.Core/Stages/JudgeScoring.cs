using System.Globalization;
using System.Text.RegularExpressions;
using Nuggets.Core.Data;

namespace Nuggets.Core.Stages;

/// <summary>A judge's reply read as a score, or why it could not be.</summary>
/// <param name="Score">The score in [0, 100], or null.</param>
/// <param name="Problem">Why there is no score, or null.</param>
public sealed record JudgeAnswer(int? Score, string? Problem);

/// <summary>LIFT's quality score: the judge's 0–100 (first integer of the reply) blended with a length score.</summary>
public static partial class JudgeScoring
{
    /// <summary>The percentile of row lengths that scores 100.</summary>
    public const double LengthPercentile = 98;

    /// <summary>
    /// Reads the first integer of <paramref name="reply"/>; none, or one above 100, is a problem, never a 0. (The LIFT
    /// authors read only the reply's first line and score a reply without a number 0; README.md lists the difference.)
    /// </summary>
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
    /// A row's length as LIFT measures it: characters (Unicode code points, as Python counts them) of instruction, input
    /// and output written one after the other, without tabs and newlines. Fields are not trimmed, as in the authors' code.
    /// </summary>
    public static int Length(Example example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var length = 0;
        foreach (var field in new[] { example.Instruction, example.Input, example.Output })
        {
            foreach (var rune in field.EnumerateRunes())
            {
                if (rune.Value is not ('\t' or '\n')) length++;
            }
        }
        return length;
    }

    /// <summary>
    /// Length scores: 100 for a length at or above the 98th percentile of <paramref name="lengths"/>, otherwise
    /// 100 × length / that percentile. The percentile interpolates linearly between the two nearest ranks, as numpy's
    /// default does in the authors' code.
    /// </summary>
    public static double[] LengthScores(IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.Count == 0) return [];
        var reference = Percentile(lengths.Order().ToArray(), LengthPercentile);
        // A reference of 0 gives every row 100 (each length is at least 0): no row is favoured, as in the authors' code.
        return lengths.Select(l => l >= reference ? 100 : 100.0 * l / reference).ToArray();
    }

    /// <summary>The final score: weight × judge + (1 − weight) × length score (LIFT: 0.9 and 0.1).</summary>
    public static double Final(int judge, double lengthScore, double judgeWeight) => judgeWeight * judge + (1 - judgeWeight) * lengthScore;

    /// <summary>numpy's default (<c>linear</c>) percentile of ascending <paramref name="sorted"/>.</summary>
    internal static double Percentile(IReadOnlyList<int> sorted, double percentile)
    {
        var index = (sorted.Count - 1) * (percentile / 100);
        var below = (int)Math.Floor(index);
        var above = Math.Min(below + 1, sorted.Count - 1);
        double a = sorted[below], b = sorted[above];
        var t = index - below;
        // numpy interpolates from the nearer end, so an exact rank returns that rank's value without round-off.
        return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex FirstInteger();
}
