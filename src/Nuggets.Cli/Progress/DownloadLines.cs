using System.Globalization;
using Nuggets.Hub;

namespace Nuggets.Cli.Progress;

/// <summary>
/// Plain download lines on stderr when not on a terminal (CI logs), as the run's own progress: one when a file starts,
/// at most one per interval while it comes, and one when it is verified and in place:
/// <c>nuggets: downloading models/owner/name/model.gguf: 1.2 MB/4.8 MB (25%), 3.1 MB/s, elapsed 0:00:01</c>.
/// </summary>
internal sealed class DownloadLines(TimeSpan interval, Func<TimeSpan> clock, TextWriter output) : IProgress<DownloadProgress>
{
    private string? file;
    private TimeSpan started;
    private long startBytes;
    private TimeSpan? last;

    public void Report(DownloadProgress progress)
    {
        var now = clock();
        if (progress.File != file) (file, started, startBytes, last) = (progress.File, now, progress.Bytes, null);
        var elapsed = now - started;
        if (progress.Finished)
        {
            output.WriteLine($"nuggets: downloaded {progress.File}: {Size(progress.Total)} in {ProgressText.Duration(elapsed)}");
            file = null;
            return;
        }
        if (last is { } printed && now - printed < interval) return;
        last = now;
        var rate = elapsed.TotalSeconds > 0 ? $", {Size((long)((progress.Bytes - startBytes) / elapsed.TotalSeconds))}/s" : "";
        output.WriteLine($"nuggets: downloading {progress.File}: {Size(progress.Bytes)}/{Size(progress.Total)} ({ProgressText.Percent(progress.Bytes, progress.Total)}){rate}, elapsed {ProgressText.Duration(elapsed)}");
    }

    /// <summary><c>812 B</c>, <c>1.2 MB</c>, <c>4.1 GB</c> (decimal units, as the Hub shows sizes).</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1_000 => $"{bytes} B",
        < 1_000_000 => (bytes / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " kB",
        < 1_000_000_000 => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " GB",
    };
}
