using Nuggets.Core.Data;
using Nuggets.Core.Stages;

namespace Nuggets.Core.Tests.Stages;

public sealed class JudgeScoringTests
{
    [TestCase("85", 85)]
    [TestCase("Score: 72/100", 72)]
    [TestCase("  0 points", 0)]
    [TestCase("100", 100)]
    [TestCase("I'd say 8.5 out of 10", 8)]
    [TestCase("-5", 5)]
    public void The_first_integer_is_the_score(string reply, int expected)
    {
        Assert.That(JudgeScoring.Parse(reply), Is.EqualTo(new JudgeAnswer(expected, null)));
    }

    [TestCase("", "no number")]
    [TestCase("excellent!", "no number")]
    [TestCase("Once upon a time there was a dog", "no number")]
    [TestCase("101", "above 100")]
    [TestCase("99999999999999999999", "above 100")]
    public void Malformed_replies_are_problems_not_zeros(string reply, string problem)
    {
        var answer = JudgeScoring.Parse(reply);
        Assert.That(answer.Score, Is.Null);
        Assert.That(answer.Problem, Does.Contain(problem));
    }

    [Test]
    public void Length_scores_divide_by_numpys_98th_percentile_and_cap_at_100()
    {
        // 100 lengths 1..100: numpy's linear 98th percentile sits at index 99 × 0.98 = 97.02, between 98 and 99.
        var lengths = Enumerable.Range(1, 100).ToArray();
        var scores = JudgeScoring.LengthScores(lengths);
        var reference = 98 + 0.02;
        Assert.That(scores[48], Is.EqualTo(100.0 * 49 / reference).Within(1e-9));
        Assert.That(scores[97], Is.EqualTo(100.0 * 98 / reference).Within(1e-9));
        Assert.That(scores[98], Is.EqualTo(100), "at or above the percentile");
        Assert.That(scores[99], Is.EqualTo(100), "capped");
        Assert.That(JudgeScoring.LengthScores([0, 0]), Is.EqualTo(new double[] { 100, 100 }), "every length reaches a percentile of 0");
        Assert.That(JudgeScoring.LengthScores([]), Is.Empty);
    }

    [TestCase(new[] { 7 }, 7.0)]
    [TestCase(new[] { 1, 2 }, 1.98)]
    [TestCase(new[] { 10, 20, 30, 40, 50 }, 49.2)]
    public void The_percentile_is_numpys_linear_one(int[] sorted, double expected)
    {
        Assert.That(JudgeScoring.Percentile(sorted, 98), Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void A_rows_length_counts_instruction_input_and_output_without_tabs_and_newlines()
    {
        var row = new Example(0, "Sort\tit.\n", " 3, 1\n2 ", "1\r\n2\n3");
        // "Sortit." (7) + " 3, 12 " (7) + "1\r23" (4): fields are not trimmed and carriage returns stay, as the authors count.
        Assert.That(JudgeScoring.Length(row), Is.EqualTo(18));
        Assert.That(JudgeScoring.Length(new Example(0, "\U0001F600", "", "\u00E9")), Is.EqualTo(2), "code points, not UTF-16 units");
    }

    [Test]
    public void The_final_score_is_lifts_blend()
    {
        Assert.That(JudgeScoring.Final(80, 50, 0.9), Is.EqualTo(77).Within(1e-12));
        Assert.That(JudgeScoring.Final(80, 50, 1), Is.EqualTo(80));
    }
}
