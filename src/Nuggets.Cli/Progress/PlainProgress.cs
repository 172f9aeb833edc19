using Nuggets.Core.Pipeline;

namespace Nuggets.Cli.Progress;

/// <summary>
/// Plain progress lines on stderr (not a terminal, NO_COLOR, CI): one when a stage starts, when the run is done,
/// and otherwise at most one per interval. Every report still feeds the rate, printed or not.
/// </summary>
internal sealed class PlainProgress(TimeSpan interval, Func<TimeSpan> clock, TextWriter output) : IProgress<PipelineProgress>
{
    private readonly ProgressTracker tracker = new(clock);
    private TimeSpan? last;
    private string lastStage = "";

    public void Report(PipelineProgress progress)
    {
        var snapshot = tracker.Observe(progress);
        if (progress.Stage == lastStage && last is { } printed && snapshot.Elapsed - printed < interval) return;
        (last, lastStage) = (snapshot.Elapsed, progress.Stage);
        output.WriteLine(ProgressText.Line(snapshot));
    }
}
