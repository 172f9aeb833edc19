namespace Nuggets.Core.Stability;

/// <summary>
/// The Wilson score interval of a proportion <c>wins / n</c> (Wilson 1927), at 95% by default: the range of true win
/// rates that a golden score measured on <c>n</c> anchors is consistent with, treating the anchors as a random sample
/// of the tasks they stand for. Unlike the normal ("Wald") interval it stays inside [0, 1] and does not collapse to a
/// point at 0/n or n/n.
/// </summary>
/// <remarks>
/// <para>
/// With p = wins / n and z the normal quantile: centre = (p + z²/2n) / (1 + z²/n), half-width =
/// z / (1 + z²/n) · √(p(1 − p)/n + z²/4n²); the interval is [centre − half-width, centre + half-width], clamped to
/// [0, 1] against rounding.
/// </para>
/// <para>
/// <b>Which n.</b> The score table passes n = <c>anchors_scored</c> and wins = <c>wins</c>. For a row scored on every
/// anchor that is the interval of its golden score. For a pruned row (<c>score_exact</c> false) it
/// is the interval of the win rate on the anchors it was scored on, not of its full golden score: the unscored anchors
/// are not counted as losses here, so the interval is wider (smaller n) and centred on the scored part's rate. With
/// n = 0 nothing was observed and the interval is [0, 1].
/// </para>
/// </remarks>
public static class WilsonInterval
{
    /// <summary>The two-sided 95% normal quantile, Φ⁻¹(0.975).</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The interval of <paramref name="wins"/> / <paramref name="n"/>.</summary>
    /// <param name="wins">Successes, 0 ≤ wins ≤ n.</param>
    /// <param name="n">Trials (anchors scored), at least 0; 0 gives [0, 1].</param>
    /// <param name="z">The normal quantile (default: 95% two-sided).</param>
    /// <exception cref="ArgumentOutOfRangeException">wins or n out of range, or z not positive.</exception>
    public static (double Low, double High) Of(int wins, int n, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(wins);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wins, n);
        if (!(z > 0)) throw new ArgumentOutOfRangeException(nameof(z), z, "z must be positive");
        if (n == 0) return (0, 1);
        var p = (double)wins / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2.0 * n)) / denominator;
        var half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        // At p = 0 (p = 1) the lower (upper) end is 0 (1) exactly in real arithmetic; clamp the rounding.
        var low = wins == 0 ? 0 : Math.Clamp(centre - half, 0, 1);
        var high = wins == n ? 1 : Math.Clamp(centre + half, 0, 1);
        return (low, high);
    }
}
