using Nuggets.Core.Configuration;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Scoring;
using Nuggets.Core.Selection;
using Nuggets.Core.Stability;

namespace Nuggets.Core.Tests.Stability;

public class SelectionStabilityTests
{
    private static WinCountRule Threshold(double t) => new(SelectionMode.Threshold, t, 0, 0);

    private static string Outcomes(int wins, int losses, int unscored = 0) => new string('1', wins) + new string('0', losses) + new string('-', unscored);

    /// <summary>P(GoldenScore.Of(X, M) &gt; t) for X ~ Bin(M, p), summed from the probability mass function.</summary>
    private static double BinomialTail(int m, double p, double t)
    {
        var total = 0.0;
        for (var k = 0; k <= m; k++)
        {
            if (!(GoldenScore.Of(k, m) > t)) continue;
            var logChoose = LogFactorial(m) - LogFactorial(k) - LogFactorial(m - k);
            total += Math.Exp(logChoose + k * Math.Log(p) + (m - k) * Math.Log(1 - p));
        }
        return total;
    }

    private static double LogFactorial(int n) => Enumerable.Range(1, n).Sum(i => Math.Log(i));

    /// <summary>Five standard errors of a frequency estimated from <paramref name="resamples"/> independent draws.</summary>
    private static double FiveSigma(double p, int resamples) => 5 * Math.Sqrt(p * (1 - p) / resamples);

    [TestCase(SelectionMode.Threshold)]
    [TestCase(SelectionMode.Top)]
    [TestCase(SelectionMode.TopPercent)]
    public void RowsThatWinAllOrNothingGiveOverlapExactlyOne(SelectionMode mode)
    {
        // Every resample gives each row M or 0 wins (M/2 or 0 with half the anchors): the selection never moves.
        const int m = 9;
        var rows = Enumerable.Range(0, 40).Select(i => new OutcomeRow(i * 3, i % 4 == 0 ? Outcomes(m, 0) : Outcomes(0, m))).ToList();
        var rule = new WinCountRule(mode, 0.5, 10, 25);
        var estimate = SelectionStability.Estimate(rows, m, rule, resamples: 200, seed: 7);

        Assert.That(estimate.SelectedRows, Is.EqualTo(10));
        Assert.That(estimate.Jaccard, Is.EqualTo(new JaccardSummary(m, 1, 1, 1)));
        Assert.That(estimate.HalfJaccard, Is.EqualTo(new JaccardSummary(m / 2, 1, 1, 1)));
        Assert.That(estimate.RowDetails.Select(r => r.Frequency), Is.EqualTo(estimate.RowDetails.Select(r => r.Selected ? 1.0 : 0.0)));
        Assert.That(estimate.UncertainRows, Is.Empty);
        Assert.That(estimate.PrunedRows, Is.Zero);
        Assert.That(estimate.Verdict, Does.StartWith("stable: "));
    }

    [TestCase(20, 12, 0.6)]
    [TestCase(20, 15, 0.7)]
    [TestCase(7, 3, 0.4)]
    public void ALoneRowIsSelectedAsOftenAsTheBinomialTail(int m, int w, double t)
    {
        // Drawing M anchors with replacement, each is a win with probability w/M, so the resampled wins are
        // Bin(M, w/M) and the selection frequency estimates P(Bin(M, w/M)/M > t), with a binomial standard error.
        const int resamples = 4000;
        var estimate = SelectionStability.Estimate([new OutcomeRow(5, Outcomes(w, m - w))], m, Threshold(t), resamples, seed: 11);
        var expected = BinomialTail(m, (double)w / m, t);
        Assert.That(expected, Is.InRange(0.05, 0.95), "a test case where the frequency is informative");
        Assert.That(estimate.RowDetails.Single().Frequency, Is.EqualTo(expected).Within(FiveSigma(expected, resamples)));
    }

    [Test]
    public void ThresholdModeAtHalfTheAnchorsComparesWithTheHalfCount()
    {
        // One row, the only candidate, selected on its 12/20: the overlap is 1 when a resample selects it, else 0, so
        // the mean overlap is the tail probability (M/2 = 10 anchors at M/2).
        const int resamples = 4000;
        var estimate = SelectionStability.Estimate([new OutcomeRow(0, Outcomes(12, 8))], 20, Threshold(0.55), resamples, seed: 3);
        Assert.That(estimate.SelectedRows, Is.EqualTo(1));
        var full = BinomialTail(20, 0.6, 0.55);
        var half = BinomialTail(10, 0.6, 0.55);
        Assert.That(estimate.Jaccard.Mean, Is.EqualTo(full).Within(FiveSigma(full, resamples)));
        Assert.That(estimate.HalfJaccard.Mean, Is.EqualTo(half).Within(FiveSigma(half, resamples)));
        Assert.That(estimate.HalfJaccard.Anchors, Is.EqualTo(10));
    }

    [Test]
    public void SameSeedSameNumbersOtherSeedOtherNumbers()
    {
        var random = new SplitMix64(99);
        var rows = Enumerable.Range(0, 60).Select(i => new OutcomeRow(i, new string(Enumerable.Range(0, 16).Select(_ => random.NextBelow(3) == 0 ? '0' : '1').ToArray()))).ToList();
        var rule = new WinCountRule(SelectionMode.Top, 0, 12, 0);
        var a = SelectionStability.Estimate(rows, 16, rule, resamples: 300, seed: 1);
        var b = SelectionStability.Estimate(rows.AsEnumerable().Reverse().ToList(), 16, rule, resamples: 300, seed: 1);
        var c = SelectionStability.Estimate(rows, 16, rule, resamples: 300, seed: 2);

        Assert.That(b.Jaccard, Is.EqualTo(a.Jaccard), "the order rows are given in does not matter");
        Assert.That(b.HalfJaccard, Is.EqualTo(a.HalfJaccard));
        Assert.That(b.RowDetails, Is.EqualTo(a.RowDetails));
        Assert.That(b.Verdict, Is.EqualTo(a.Verdict));
        Assert.That(c.RowDetails.Select(r => r.Frequency), Is.Not.EqualTo(a.RowDetails.Select(r => r.Frequency)));
        Assert.That(a.Jaccard.Mean, Is.LessThan(1), "a case where resampling moves the selection");
    }

    [Test]
    public void TheGeneratorIsSplitMix64()
    {
        // Vigna's reference splitmix64.c from state 0: the first output.
        var random = new SplitMix64(0);
        Assert.That(random.Next(), Is.EqualTo(0xE220A8397B1DCDAFUL));
        var draws = Enumerable.Range(0, 7000).Select(_ => random.NextBelow(7)).ToList();
        Assert.That(draws.Distinct().Order(), Is.EqualTo(Enumerable.Range(0, 7)));
    }

    [Test]
    public void PrunedRowsEnterAsLossesAndTheOptimisticFillShowsWhatPruningHides()
    {
        // Threshold 0.5 over 4 anchors (select 3 or 4 wins). Row 1 was pruned after two losses: counted as losses it
        // can never be selected; with its two unscored anchors as wins its resampled wins are Bin(4, 1/2), selected
        // when > 2: P = 5/16.
        const int resamples = 4000;
        OutcomeRow[] rows = [new(0, "1110"), new(1, "00--"), new(2, "1100")];
        var estimate = SelectionStability.Estimate(rows, 4, Threshold(0.5), resamples, seed: 5);

        var pruned = estimate.RowDetails.Single(r => r.Row == 1);
        Assert.That(pruned.Pruned, Is.True);
        Assert.That((pruned.Wins, pruned.AnchorsScored, pruned.Selected, pruned.Frequency), Is.EqualTo((0, 2, false, 0.0)));
        Assert.That(pruned.OptimisticFrequency, Is.EqualTo(5.0 / 16).Within(FiveSigma(5.0 / 16, resamples)));
        Assert.That((pruned.WilsonLow, pruned.WilsonHigh), Is.EqualTo(WilsonInterval.Of(0, 2)), "the interval of the scored part");
        Assert.That(estimate.PrunedRows, Is.EqualTo(1));
        Assert.That(estimate.PrunedSelectedOptimistically, Is.EqualTo(1));
        Assert.That(estimate.RowDetails.Where(r => r.Row != 1).Select(r => r.OptimisticFrequency), Is.All.Null);
        // The exact rows are unaffected by the fill: row 0 (3/4) is selected with P(Bin(4, 3/4) > 2).
        var row0 = BinomialTail(4, 0.75, 0.5);
        Assert.That(estimate.RowDetails[0].Frequency, Is.EqualTo(row0).Within(FiveSigma(row0, resamples)));
        Assert.That(estimate.Verdict, Does.Contain("1 of 1 pruned rows would be selected"));
    }

    [Test]
    public void UncertainRowsAndTheBoundaryFollowTheirDefinitions()
    {
        // Threshold 0.5 on 10 anchors: 10/10 is always kept, 0/10 never, 6/10 is kept with P(Bin(10, 0.6) > 5) ≈ 0.63.
        OutcomeRow[] rows = [new(0, Outcomes(10, 0)), new(1, Outcomes(0, 10)), new(2, Outcomes(6, 4))];
        var estimate = SelectionStability.Estimate(rows, 10, Threshold(0.5), resamples: 2000, seed: 1, uncertainLow: 0.2, uncertainHigh: 0.8);
        Assert.That(estimate.UncertainRows, Is.EqualTo(new long[] { 2 }));
        Assert.That(estimate.Boundary, Is.EqualTo(0.5));
        // 6/10's interval reaches below 0.5, 10/10's does not.
        Assert.That(WilsonInterval.Of(6, 10).Low, Is.LessThan(0.5));
        Assert.That(WilsonInterval.Of(10, 10).Low, Is.GreaterThan(0.5));
        Assert.That(estimate.SelectedNearBoundary, Is.EqualTo(1));
    }

    [Test]
    public void TopModesSelectWhatTheSelectorSelects()
    {
        var random = new SplitMix64(2024);
        const int m = 12;
        for (var trial = 0; trial < 200; trial++)
        {
            var count = 1 + random.NextBelow(40);
            var scores = Enumerable.Range(0, count).Select(i => new RowScore(i * 2 + random.NextBelow(2), "h", RowStatus.Scored, random.NextBelow(m + 1), m)).ToArray();
            var options = new SelectionOptions
            {
                Mode = (SelectionMode)random.NextBelow(3), Threshold = random.NextBelow(m) / (double)m, Top = random.NextBelow(count + 3),
                TopPercent = 1 + random.NextBelow(100),
            };
            var expected = Selector.Select(scores, m, options).Select(r => r.Row).ToArray();
            var selected = new bool[count];
            WinCountRule.From(options).Select(scores.Select(r => r.Wins).ToArray(), m, selected);
            Assert.That(scores.Where((_, i) => selected[i]).Select(r => r.Row), Is.EqualTo(expected), $"trial {trial}: {options.Mode}");
        }
    }

    [Test]
    public void BadInputsAreRejected()
    {
        var rule = Threshold(0.5);
        Assert.Throws<ArgumentException>(() => SelectionStability.Estimate([new OutcomeRow(0, "10")], 3, rule));
        Assert.Throws<ArgumentException>(() => SelectionStability.Estimate([new OutcomeRow(0, "1x0")], 3, rule));
        Assert.Throws<ArgumentException>(() => SelectionStability.Estimate([new OutcomeRow(0, "100"), new OutcomeRow(0, "111")], 3, rule));
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectionStability.Estimate([new OutcomeRow(0, "100")], 3, rule, resamples: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectionStability.Estimate([new OutcomeRow(0, "100")], 3, rule, uncertainLow: 0.9, uncertainHigh: 0.1));
    }

    [Test]
    public void PercentilesInterpolateBetweenOrderStatistics()
    {
        double[] sorted = [0, 1, 2, 3, 4];
        Assert.That(SelectionStability.Percentile(sorted, 0.05), Is.EqualTo(0.2).Within(1e-15));
        Assert.That(SelectionStability.Percentile(sorted, 0.95), Is.EqualTo(3.8).Within(1e-15));
        Assert.That(SelectionStability.Percentile([7], 0.95), Is.EqualTo(7));
    }
}
