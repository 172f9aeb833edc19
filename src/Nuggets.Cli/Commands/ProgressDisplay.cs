using Nuggets.Core.Pipeline;
using Spectre.Console;

namespace Nuggets.Cli.Commands;

/// <summary>
/// Progress of a run: Spectre.Console bars with rate and ETA on a terminal, a plain line every few seconds
/// when not interactive (CI logs), nothing with --quiet.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>
    /// Seconds between plain progress lines (default 5); 0 prints one for every report — each stage, each chunk of
    /// rows and each batch committed to the cache — so a log (or a test) can follow the run commit by commit.
    /// </summary>
    public const string IntervalVariable = "NUGGETS_PROGRESS_SECONDS";

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    public static T Run<T>(bool quiet, Func<IProgress<PipelineProgress>?, T> work)
    {
        if (quiet) return work(null);
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsErrorRedirected) return work(new PlainProgress(PlainInterval()));

        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var rows = context.AddTask("rows");
                var pairs = context.AddTask("pairs decoded", maxValue: double.MaxValue);
                pairs.IsIndeterminate = true;
                result = work(new Progress(p =>
                {
                    rows.MaxValue = Math.Max(1, p.RowsTotal);
                    rows.Value = p.RowsDone;
                    rows.Description = $"{p.Stage}: rows";
                    pairs.Description = $"pairs decoded {p.PairsDecoded:N0} · from cache {p.PairsFromCache:N0} · pruned {p.CandidatesPruned:N0}";
                }));
                rows.Value = rows.MaxValue;
            });
        return result;
    }

    /// <summary>Synchronous IProgress (System.Progress posts to the thread pool, which would reorder lines).</summary>
    private sealed class Progress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }

    private static TimeSpan PlainInterval()
    {
        var text = Environment.GetEnvironmentVariable(IntervalVariable);
        if (string.IsNullOrWhiteSpace(text)) return DefaultInterval;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds)
            return TimeSpan.FromSeconds(seconds);
        Console.Error.WriteLine($"warning: {IntervalVariable}='{text}' is not a number of seconds (0 or more); progress lines every {DefaultInterval.TotalSeconds:0} s.");
        return DefaultInterval;
    }

    private sealed class PlainProgress(TimeSpan interval) : IProgress<PipelineProgress>
    {
        private DateTime last = DateTime.MinValue;
        private string lastStage = "";

        public void Report(PipelineProgress p)
        {
            var now = DateTime.UtcNow;
            if (p.Stage == lastStage && now - last < interval) return;
            (last, lastStage) = (now, p.Stage);
            Console.Error.WriteLine($"nuggets: {p.Stage}: rows {p.RowsDone:N0}/{p.RowsTotal:N0}, pairs decoded {p.PairsDecoded:N0}, from cache {p.PairsFromCache:N0}, pruned {p.CandidatesPruned:N0}, batches committed {p.BatchesCommitted:N0}");
        }
    }
}
