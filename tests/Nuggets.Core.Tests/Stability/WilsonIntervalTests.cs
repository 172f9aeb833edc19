using Nuggets.Core.Stability;

namespace Nuggets.Core.Tests.Stability;

public class WilsonIntervalTests
{
    private const double Z = 1.959963984540054;

    /// <summary>
    /// The interval worked out independently of the implementation's centre/half-width form: the Wilson interval is
    /// the set of p with (p̂ − p)² ≤ z² p (1 − p) / n, i.e. the roots of (1 + z²/n) p² − (2p̂ + z²/n) p + p̂² = 0.
    /// </summary>
    private static (double Low, double High) Roots(int wins, int n)
    {
        var phat = (double)wins / n;
        var a = 1 + Z * Z / n;
        var b = -(2 * phat + Z * Z / n);
        var c = phat * phat;
        var disc = Math.Sqrt(b * b - 4 * a * c);
        return ((-b - disc) / (2 * a), (-b + disc) / (2 * a));
    }

    [TestCase(0, 10)]
    [TestCase(5, 10)]
    [TestCase(10, 10)]
    [TestCase(1, 3)]
    [TestCase(17, 100)]
    [TestCase(99, 100)]
    public void EqualsTheRootsOfTheScoreTestQuadratic(int wins, int n)
    {
        var (low, high) = WilsonInterval.Of(wins, n);
        var (rootLow, rootHigh) = Roots(wins, n);
        Assert.That(low, Is.EqualTo(Math.Max(0, rootLow)).Within(1e-12));
        Assert.That(high, Is.EqualTo(Math.Min(1, rootHigh)).Within(1e-12));
    }

    [Test]
    public void HandWorkedEnds()
    {
        // 0/n: [0, z²/(n + z²)]; n/n: [n/(n + z²), 1]; 5/10 is symmetric about 1/2 with half-width
        // z/(1 + z²/10) · √(0.025 + z²/400).
        var z2 = Z * Z;
        Assert.That(WilsonInterval.Of(0, 10), Is.EqualTo((0.0, z2 / (10 + z2))).Using<(double, double)>(Close));
        Assert.That(WilsonInterval.Of(10, 10), Is.EqualTo((10 / (10 + z2), 1.0)).Using<(double, double)>(Close));
        var half = Z / (1 + z2 / 10) * Math.Sqrt(0.025 + z2 / 400);
        Assert.That(WilsonInterval.Of(5, 10), Is.EqualTo((0.5 - half, 0.5 + half)).Using<(double, double)>(Close));
        // The textbook value of 0/10 at 95%: 0.2775.
        Assert.That(WilsonInterval.Of(0, 10).High, Is.EqualTo(0.2775).Within(5e-5));
    }

    private static bool Close((double, double) a, (double, double) b) => Math.Abs(a.Item1 - b.Item1) <= 1e-12 && Math.Abs(a.Item2 - b.Item2) <= 1e-12;

    [Test]
    public void NoTrialsIsTheWholeRangeAndBadCountsAreRejected()
    {
        Assert.That(WilsonInterval.Of(0, 0), Is.EqualTo((0.0, 1.0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Of(3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Of(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Of(0, -1));
    }
}
