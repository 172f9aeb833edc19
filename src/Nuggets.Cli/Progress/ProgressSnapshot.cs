using Nuggets.Core.Pipeline;

namespace Nuggets.Cli.Progress;

/// <summary>A progress report with what the display adds: time since the run started, the decoding rate and the time left.</summary>
/// <param name="Progress">What the pipeline reported.</param>
/// <param name="Elapsed">Time since the display started.</param>
/// <param name="PairsPerSecond">Sums decoded per second over a recent window, or null while unknown.</param>
/// <param name="Eta">Time left at that rate for the sums still to decode, or null while unknown.</param>
internal sealed record ProgressSnapshot(PipelineProgress Progress, TimeSpan Elapsed, double? PairsPerSecond, TimeSpan? Eta);

/// <summary>Turns each report into a <see cref="ProgressSnapshot"/>: every report feeds the rate, printed or not.</summary>
internal sealed class ProgressTracker(Func<TimeSpan> clock)
{
    private readonly PairRate rate = new(PairRate.DefaultWindow);
    private string? stage;

    public ProgressSnapshot Observe(PipelineProgress progress)
    {
        var now = clock();
        // Each stage decodes at its own pace (or not at all): the rate starts over with it.
        if (progress.Stage != stage) rate.Reset();
        stage = progress.Stage;
        rate.Observe(now, progress.PairsDecoded);
        var eta = progress.PairsRemaining is { } remaining ? rate.Remaining(remaining) : null;
        return new ProgressSnapshot(progress, now, rate.PerSecond, eta);
    }
}
