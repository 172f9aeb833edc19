using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Nuggets.Cli.Tests;

/// <summary>What a run of the real tool printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}

/// <summary>A run killed when it printed a given line: whether the kill landed before it ended, and its stderr.</summary>
internal sealed record KilledRun(bool Killed, int ExitCode, IReadOnlyList<string> StdErrLines)
{
    /// <summary>Its plain progress reports, in order.</summary>
    public IReadOnlyList<ProgressLine> Progress => StdErrLines.Select(ProgressLine.Parse).OfType<ProgressLine>().ToList();

    public override string ToString() => $"exit {ExitCode}\n--- stderr\n{string.Join('\n', StdErrLines)}";
}

/// <summary>
/// One plain progress line, parsed; numbers in any culture's grouping:
/// <c>nuggets: scoring: rows 3/8 (37%), pairs decoded 13/27 (48%), committed 3, from cache 0, pruned 0, batches committed 0, rate 2.41 pairs/s, ETA 0:00:05, elapsed 0:00:04</c>.
/// A stage may carry a detail in brackets (<c>counting (8/8 rows read)</c>); the pairs total is <c>?</c> (null here) until
/// the rows are counted; rate and ETA are absent once the run is done.
/// </summary>
internal sealed partial record ProgressLine(
    string Stage, string? Detail, long RowsDone, long RowsTotal, int RowsPercent, long PairsDecoded, long? PairsTotal, int? PairsPercent,
    long PairsCommitted, long PairsFromCache, long Pruned, long BatchesCommitted, string? Eta, string Elapsed)
{
    public static ProgressLine? Parse(string line) =>
        Pattern().Match(line) is { Success: true } m
            ? new ProgressLine(
                m.Groups["stage"].Value, m.Groups["detail"].Success ? m.Groups["detail"].Value : null,
                Number(m.Groups["rows"].Value), Number(m.Groups["rowsTotal"].Value), (int)Number(m.Groups["rowsPct"].Value),
                Number(m.Groups["pairs"].Value), m.Groups["pairsTotal"].Success ? Number(m.Groups["pairsTotal"].Value) : null,
                m.Groups["pairsPct"].Success ? (int)Number(m.Groups["pairsPct"].Value) : null,
                Number(m.Groups["committed"].Value), Number(m.Groups["cache"].Value), Number(m.Groups["pruned"].Value), Number(m.Groups["batches"].Value),
                m.Groups["eta"].Success ? m.Groups["eta"].Value : null, m.Groups["elapsed"].Value)
            : null;

    public static IReadOnlyList<ProgressLine> All(string stdErr) =>
        stdErr.Split('\n').Select(l => Parse(l.TrimEnd('\r'))).OfType<ProgressLine>().ToList();

    private static long Number(string text) => long.Parse(new string(text.Where(char.IsAsciiDigit).ToArray()), System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^nuggets: (?<stage>.+?)(?: \((?<detail>[^()]*)\))?: rows (?<rows>[^/]+)/(?<rowsTotal>.+?) \((?<rowsPct>\d+)%\), "
        + @"pairs decoded (?<pairs>[^/]+)/(?:\?|(?<pairsTotal>.+?) \((?<pairsPct>\d+)%\)), committed (?<committed>.+?), from cache (?<cache>.+?), "
        + @"pruned (?<pruned>.+?), batches committed (?<batches>.+?)(?:, rate .+? pairs/s)?(?:, ETA (?<eta>[^,]+))?, elapsed (?<elapsed>\S+)$")]
    private static partial Regex Pattern();
}

/// <summary>Runs the built <c>dotnet-nuggets</c> as a separate process, as a user or CI would.</summary>
internal static partial class CliRunner
{
    public static readonly string ToolDll = Path.Combine(AppContext.BaseDirectory, "dotnet-nuggets.dll");

    /// <summary>
    /// The tool as a child process with plain, wide output and one thread. <paramref name="defaultSignals"/>: started through
    /// <c>env --default-signal</c>, so SIGINT and SIGTERM are at their defaults even when this test process inherited
    /// them ignored (a shell without job control starts background commands with SIGINT ignored, and an ignored signal
    /// stays ignored across exec).
    /// </summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, bool defaultSignals = false)
    {
        var start = new ProcessStartInfo(defaultSignals ? "env" : "dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        if (defaultSignals)
        {
            start.ArgumentList.Add("--default-signal=INT,TERM");
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(ToolDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        start.Environment[OneThread.Variable] = OneThread.Value;
        start.Environment["COLUMNS"] = "200";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        CheckoutAnchorLock.KeepOutOfCheckout(start);
        return start;
    }

    public static CliResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, args, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet-nuggets {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static CliResult Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, args);

    /// <summary>Environment of a run that prints a plain progress line for every report, so each committed batch shows.</summary>
    public static readonly IReadOnlyDictionary<string, string> EveryReport = new Dictionary<string, string> { ["NUGGETS_PROGRESS_SECONDS"] = "0" };

    /// <summary>
    /// Starts the tool and SIGKILLs it as soon as a stderr line matches <paramref name="killWhen"/>: the kill is sent from
    /// the callback that reads the line, so where it lands is set by what the tool reported, not by a clock. Waits for the
    /// process to end and returns whether it died of that SIGKILL (false when it exited on its own first) and every
    /// stderr line it wrote, read to the end.
    /// </summary>
    public static KilledRun RunAndKill(string workingDirectory, string[] args, Func<string, bool> killWhen, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = StartInfo(workingDirectory, args, environment);

        using var process = new Process { StartInfo = start };
        var lines = new List<string>();
        var sent = false;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lock (lines)
            {
                lines.Add(line);
                if (sent || !killWhen(line)) return;
                sent = true;
                try
                {
                    process.Kill(); // SIGKILL on Linux: no chance to clean up, like a machine losing power
                }
                catch (Exception error) when (error is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // It had already exited: the exit code below says so.
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet-nuggets {string.Join(' ', args)} did not finish in 5 minutes");
        }
        process.WaitForExit(); // the rest of stderr
        lock (lines)
        {
            // 128 + 9: the process died of the SIGKILL (a run that ended on its own has its own exit code).
            return new KilledRun(sent && process.ExitCode == 137, process.ExitCode, [.. lines]);
        }
    }

    /// <summary>
    /// Starts the tool without waiting; output is discarded unless the caller reads it. The callback gets the process
    /// with each stderr line (it may act on the process at once, e.g. stop it, before the tool goes on).
    /// </summary>
    public static Process Start(string workingDirectory, string[] args, Action<Process, string>? onStdErrLine = null)
    {
        var process = new Process { StartInfo = StartInfo(workingDirectory, args, null) };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) onStdErrLine?.Invoke(process, line); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGSTOP: the process stays as it is (its files and locks held) until <see cref="Continue"/>.</summary>
    public static void Stop(Process process) => Signal(process, 19);

    /// <summary>SIGCONT: a stopped process goes on.</summary>
    public static void Continue(Process process) => Signal(process, 18);

    private static void Signal(Process process, int signal)
    {
        if (Native.Kill(process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static partial int Kill(int pid, int signal);
    }
}
