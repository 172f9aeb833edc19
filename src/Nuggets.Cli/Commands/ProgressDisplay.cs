using System.Globalization;
using Nuggets.Cli.Progress;
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
    /// Seconds between plain progress lines (default 5); 0 prints one for every report — each stage, each engine call
    /// that returns sums and each batch committed to the cache — so a log (or a test) can follow the run call by call.
    /// </summary>
    public const string IntervalVariable = "NUGGETS_PROGRESS_SECONDS";

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    public static T Run<T>(bool quiet, Func<IProgress<PipelineProgress>?, T> work)
    {
        if (quiet) return work(null);
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsErrorRedirected)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            return work(new PlainProgress(PlainInterval(), () => clock.Elapsed, Console.Error));
        }
        return TerminalProgress.Run<T>(work);
    }

    /// <summary>
    /// Downloads of Hub inputs shown the same way: bars on a terminal, plain lines (at the same interval) otherwise, nothing
    /// with --quiet.
    /// </summary>
    public static T RunDownloads<T>(bool quiet, Func<IProgress<Nuggets.Hub.DownloadProgress>?, T> work)
    {
        if (quiet) return work(null);
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsErrorRedirected)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            return work(new DownloadLines(PlainInterval(), () => clock.Elapsed, Console.Error));
        }
        return DownloadBars.Run<T>(work);
    }

    private static TimeSpan PlainInterval()
    {
        var text = Environment.GetEnvironmentVariable(IntervalVariable);
        if (string.IsNullOrWhiteSpace(text)) return DefaultInterval;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds)
            return TimeSpan.FromSeconds(seconds);
        Console.Error.WriteLine($"warning: {IntervalVariable}='{text}' is not a number of seconds (0 or more); progress lines every {DefaultInterval.TotalSeconds:0} s.");
        return DefaultInterval;
    }
}
