using Nuggets.Core.Pipeline;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Nuggets.Cli.Progress;

/// <summary>
/// Two Spectre.Console bars on a terminal: rows decided of all rows (with the stage), and sums decoded of the total
/// still needed, with the rate and the time left from pairs; when the run is done, 100% and the time it took.
/// </summary>
internal sealed class TerminalProgress
{
    private readonly ProgressTracker tracker;
    private readonly ProgressTask rows;
    private readonly ProgressTask pairs;
    // Written by the run's thread, read by Spectre's render loop: one immutable reference, swapped whole.
    private volatile ProgressSnapshot? latest;

    private TerminalProgress(ProgressContext context, Func<TimeSpan> clock)
    {
        tracker = new ProgressTracker(clock);
        rows = context.AddTask("starting: rows");
        pairs = context.AddTask("pairs decoded", maxValue: 1);
        pairs.IsIndeterminate = true;
    }

    /// <summary>Runs <paramref name="work"/> under the bars.</summary>
    public static T Run<T>(Func<IProgress<PipelineProgress>, T> work)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TerminalProgress? display = null;
        var time = new TimeColumn(() => display?.latest, clock);
        return AnsiConsole.Progress()
            // A narrow bar leaves room for the counts and the time on an 80-column terminal.
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = 24 }, new PercentageColumn(), time, new SpinnerColumn())
            .Start(context =>
            {
                display = new TerminalProgress(context, () => clock.Elapsed);
                time.Pairs = display.pairs;
                return work(new Report(display.Update));
            });
    }

    private void Update(PipelineProgress p)
    {
        var snapshot = tracker.Observe(p);
        rows.MaxValue = Math.Max(1, p.RowsTotal);
        rows.Value = p.RowsTotal == 0 ? 1 : p.RowsDone;
        var pruned = p.CandidatesPruned > 0 ? $" · pruned {p.CandidatesPruned:N0}" : "";
        rows.Description = Markup.Escape($"{ProgressText.Stage(p)}: rows {p.RowsDone:N0}/{p.RowsTotal:N0}{pruned}");
        if (p.PairsTotal is { } needed)
        {
            pairs.IsIndeterminate = false;
            pairs.MaxValue = Math.Max(1, needed);
            pairs.Value = needed == 0 ? 1 : Math.Min(p.PairsDecoded, needed);
        }
        var total = p.PairsTotal is { } t ? t.ToString("N0") : "?";
        var cached = p.PairsFromCache > 0 ? $" · from cache {p.PairsFromCache:N0}" : "";
        pairs.Description = Markup.Escape($"pairs decoded {p.PairsDecoded:N0}/{total}{cached}");
        latest = snapshot;
        if (p.Finished)
        {
            rows.Value = rows.MaxValue;
            pairs.IsIndeterminate = false;
            pairs.Value = pairs.MaxValue;
            rows.StopTask();
            pairs.StopTask();
        }
    }

    /// <summary>Synchronous IProgress (System.Progress posts to the thread pool, which would reorder reports).</summary>
    private sealed class Report(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        void IProgress<PipelineProgress>.Report(PipelineProgress value) => report(value);
    }

    /// <summary>
    /// Rate and time left on the pairs bar, the elapsed time on the rows bar; once done, the time the run took.
    /// Spectre's own remaining-time column guesses from bar values and shows <c>--:--:--</c> when finished.
    /// </summary>
    private sealed class TimeColumn(Func<ProgressSnapshot?> latest, System.Diagnostics.Stopwatch clock) : ProgressColumn
    {
        public ProgressTask? Pairs { get; set; }

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            var snapshot = latest();
            if (snapshot is null || snapshot.Progress.Finished) return new Text(ProgressText.Duration(snapshot?.Elapsed ?? clock.Elapsed));
            if (task != Pairs) return new Text(ProgressText.Duration(clock.Elapsed));
            if (snapshot.Progress.PairsTotal is null) return new Text("");
            var rate = snapshot.PairsPerSecond is { } perSecond ? $"{ProgressText.PerSecond(perSecond)}/s · " : "";
            return new Text($"{rate}ETA {ProgressText.Duration(snapshot.Eta)}");
        }
    }
}
