using Nuggets.Hub;
using Spectre.Console;

namespace Nuggets.Cli.Progress;

/// <summary>A Spectre.Console bar per downloaded file on a terminal, with bytes, speed and time left.</summary>
internal static class DownloadBars
{
    /// <summary>Runs <paramref name="work"/> under the bars.</summary>
    public static T Run<T>(Func<IProgress<DownloadProgress>, T> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                return work(new Report(p =>
                {
                    if (!tasks.TryGetValue(p.File, out var task))
                        tasks[p.File] = task = context.AddTask(Markup.Escape(p.File), maxValue: Math.Max(1, p.Total));
                    task.Value = p.Bytes;
                    if (p.Finished) task.StopTask();
                }));
            });

    /// <summary>Synchronous IProgress (System.Progress posts to the thread pool, which would reorder reports).</summary>
    private sealed class Report(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        void IProgress<DownloadProgress>.Report(DownloadProgress value) => report(value);
    }
}
