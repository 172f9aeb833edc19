using Nuggets.Bench.Report;

namespace Nuggets.Bench.Tests;

/// <summary>The arithmetic the report is made of, on numbers worked out by hand.</summary>
public class MeasurementsTests
{
    [Test]
    public void MedianOfOddAndEvenCounts()
    {
        Assert.That(Measurements.Median([3.0, 1.0, 2.0]), Is.EqualTo(2.0));
        Assert.That(Measurements.Median([4.0, 1.0, 3.0, 2.0]), Is.EqualTo(2.5));
        Assert.That(Measurements.Median([]), Is.NaN);
    }

    [TestCase(1, 1)]
    [TestCase(99, 1)]
    [TestCase(100, 1)]
    [TestCase(101, 2)]
    [TestCase(250, 3)]
    public void NewRowsAreOnePercentRoundedUpAtLeastOne(int candidates, int expected) =>
        Assert.That(Measurements.NewRows(candidates), Is.EqualTo(expected));

    [Test]
    public void IncrementalScalesTheNewRowsPartToOnePercent()
    {
        // N = 4, one new row (25%): cold 40 s, rerun 10.6 s of which 0.6 s is fixed (the no-new-rows rerun).
        // One percent of N is 0.04 rows, so the new part scales by 0.04: (0.6 + 10 × 0.04) / 40 = 2.5%.
        var rows = Rows(cold: 40, incremental: 10.6, rerun: 0.6);
        var (measured, onePercent) = Measurements.Incremental(rows, candidates: 4);
        Assert.That(measured, Is.EqualTo(10.6 / 40).Within(1e-12));
        Assert.That(onePercent, Is.EqualTo(0.025).Within(1e-12));
    }

    [Test]
    public void IncrementalWithAHundredRowsIsTheMeasuredFraction()
    {
        var rows = Rows(cold: 100, incremental: 2.5, rerun: 1.5);
        var (measured, onePercent) = Measurements.Incremental(rows, candidates: 100);
        Assert.That(onePercent, Is.EqualTo(measured).Within(1e-12));
    }

    [Test]
    public void ProductRowsAreTimedAsWholeProcessesBaselinesByTheirLoop()
    {
        Assert.That(Measurements.Time(new RowResult { Row = "naive", Seconds = 5 }), Is.EqualTo(5));
        Assert.That(Measurements.Time(new RowResult { Row = "full", Seconds = 5, ProcessSeconds = 6 }), Is.EqualTo(6));
    }

    [Test]
    public void PrunedPairsPerSecondCountsEveryDecidedPair()
    {
        var rows = new Dictionary<string, RowResult>
        {
            ["full"] = new() { Row = "full", Pairs = 400, ProcessSeconds = 40 },
            ["pruned"] = new() { Row = "pruned", Pairs = 80, ProcessSeconds = 10 },
        };
        Assert.That(Measurements.PairsPerSecond(rows, "pruned"), Is.EqualTo(40));
        Assert.That(Measurements.PairsPerSecond(rows, "full"), Is.EqualTo(10));
    }

    private static Dictionary<string, RowResult> Rows(double cold, double incremental, double rerun) => new()
    {
        ["full"] = new() { Row = "full", ProcessSeconds = cold },
        ["incremental"] = new() { Row = "incremental", ProcessSeconds = incremental },
        ["rerun"] = new() { Row = "rerun", ProcessSeconds = rerun },
    };

    [TestCase(100, true)]
    [TestCase(200, true)]
    [TestCase(20, false)]
    [TestCase(150, false)]
    public void OnlyAMultipleOfAHundredMeasuresExactlyOnePercent(int candidates, bool expected) =>
        Assert.That(Measurements.IsExactlyOnePercent(candidates), Is.EqualTo(expected));

    [Test]
    public void SumCheckComparesBitsNotValues()
    {
        var same = SumCheck.Compare("x", [-1.5, -2.25], [-1.5, -2.25], missing: 0);
        Assert.That(same.Passed, Is.True);
        // -0 and +0 are equal as values but not as bits: a check that rounds or compares values would pass this.
        var signed = SumCheck.Compare("x", [0.0, -1.0], [-0.0, -1.0], missing: 0);
        Assert.That(signed.Passed, Is.False);
        var off = SumCheck.Compare("x", [-1.0, -2.0], [-1.0, Math.BitIncrement(-2.0)], missing: 0);
        Assert.That((off.Passed, off.Different), Is.EqualTo((false, 1L)));
        Assert.That(off.MaxDifference, Is.GreaterThan(0));
    }

    [Test]
    public void ASumCheckOfNothingFails() =>
        Assert.That(SumCheck.Compare("x", [], [], missing: 3).Passed, Is.False);

    [Test]
    public void PerTokenSpeedComparesTokensPerSecondWithNaives()
    {
        // Naive: 1,000 tokens in 10 s (100/s). Product: 300 tokens in a 4 s process (75/s): 0.75 of naive's per token.
        var rows = new Dictionary<string, RowResult>
        {
            ["naive"] = new() { Row = "naive", DecodedTokens = 1000, Seconds = 10 },
            ["full"] = new() { Row = "full", DecodedTokens = 300, ProcessSeconds = 4 },
        };
        Assert.That(Measurements.PerTokenSpeedVsNaive(rows, "full"), Is.EqualTo(0.75).Within(1e-12));
    }
}
