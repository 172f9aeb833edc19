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
    public void Length_scores_divide_by_the_98th_percentile_and_cap_at_100()
    {
        // 100 lengths 1..100: nearest-rank 98th percentile is 98.
        var lengths = Enumerable.Range(1, 100).ToArray();
        var scores = JudgeScoring.LengthScores(lengths);
        Assert.That(scores[48], Is.EqualTo(100.0 * 49 / 98).Within(1e-12));
        Assert.That(scores[97], Is.EqualTo(100));
        Assert.That(scores[99], Is.EqualTo(100), "capped");
        Assert.That(JudgeScoring.LengthScores([0, 0]), Is.EqualTo(new double[] { 0, 0 }));
        Assert.That(JudgeScoring.LengthScores([]), Is.Empty);
    }

    [Test]
    public void The_final_score_is_lifts_blend()
    {
        Assert.That(JudgeScoring.Final(80, 50, 0.9), Is.EqualTo(77).Within(1e-12));
        Assert.That(JudgeScoring.Final(80, 50, 1), Is.EqualTo(80));
    }
}
