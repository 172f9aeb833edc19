namespace Nuggets.Cli.Progress;

/// <summary>
/// Decoded sums per second over a recent window, and the time left at that rate. Pure arithmetic on the times it
/// is given, so it is tested with a fake clock.
/// </summary>
/// <remarks>
/// The window keeps, as its base, the newest observation at or before its start: an engine call longer than the
/// window (a big model, many anchors) still spans two observations, so the rate is never lost to a slow call.
/// </remarks>
internal sealed class PairRate(TimeSpan window)
{
    /// <summary>The window used by the progress display.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(30);

    private readonly List<(TimeSpan At, long Decoded)> samples = [];

    /// <summary>Records that <paramref name="decoded"/> sums had been decoded at <paramref name="at"/>.</summary>
    public void Observe(TimeSpan at, long decoded)
    {
        // A clock or counter going back means a new measurement, not a negative rate.
        if (samples.Count > 0 && (at < samples[^1].At || decoded < samples[^1].Decoded)) samples.Clear();
        samples.Add((at, decoded));
        while (samples.Count > 2 && samples[1].At <= at - window) samples.RemoveAt(0);
    }

    /// <summary>Forgets everything observed (a new stage starts decoding at its own pace).</summary>
    public void Reset() => samples.Clear();

    /// <summary>Sums per second over the window; null until some were decoded over a measurable time.</summary>
    public double? PerSecond
    {
        get
        {
            if (samples.Count < 2) return null;
            var (start, end) = (samples[0], samples[^1]);
            var seconds = (end.At - start.At).TotalSeconds;
            return seconds > 0 && end.Decoded > start.Decoded ? (end.Decoded - start.Decoded) / seconds : null;
        }
    }

    /// <summary>Time to decode <paramref name="remaining"/> sums at <see cref="PerSecond"/>: zero when none remain, null while the rate is unknown.</summary>
    public TimeSpan? Remaining(long remaining)
    {
        if (remaining <= 0) return TimeSpan.Zero;
        if (PerSecond is not { } rate) return null;
        var seconds = remaining / rate;
        return seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
    }
}
