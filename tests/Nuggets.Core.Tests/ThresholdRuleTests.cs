using Nuggets.Core.Scoring;

namespace Nuggets.Core.Tests;

public sealed class ThresholdRuleTests
{
    [TestCase(0.5, 10, 6)]
    [TestCase(0.8, 5, 5)]   // 4/5 = 0.8 is not > 0.8
    [TestCase(0.85, 100, 86)]
    [TestCase(0.0, 7, 1)]
    [TestCase(0.99, 50, 50)]
    public void Wins_needed_is_the_smallest_count_whose_score_beats_the_threshold(double t, int m, int expected)
    {
        Assert.That(new ThresholdRule(t, m).WinsNeeded, Is.EqualTo(expected));
    }

    [Test]
    public void Decisions_agree_with_the_selection_rule_for_every_win_count()
    {
        foreach (var m in new[] { 1, 3, 10, 99, 100, 1000 })
            foreach (var t in new[] { 0.0, 0.1, 0.3333333333333333, 0.5, 0.8, 0.85, 0.999 })
            {
                var rule = new ThresholdRule(t, m);
                for (var wins = 0; wins <= m; wins++)
                    Assert.That(wins >= rule.WinsNeeded, Is.EqualTo((double)wins / m > t), $"t={t} m={m} wins={wins}");
            }
    }

    [Test]
    public void A_decision_is_never_possible_before_the_anchors_it_says_are_needed()
    {
        var rule = new ThresholdRule(0.5, 10);
        Assert.That(rule.AnchorsUntilPossibleDecision(0, 0), Is.EqualTo(5)); // 5 losses settle "no" at the earliest
        Assert.That(rule.IsDecided(6, 0), Is.True);
        Assert.That(rule.IsDecided(5, 4), Is.False);
        Assert.That(rule.IsDecided(2, 5), Is.True);
        Assert.That(rule.AnchorsUntilPossibleDecision(5, 4), Is.EqualTo(1));
    }
}
