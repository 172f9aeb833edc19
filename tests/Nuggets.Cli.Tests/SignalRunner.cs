using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Nuggets.Cli.Tests;

/// <summary>A run of the tool that was sent signals: its exit code and every stderr line, in order.</summary>
internal sealed record SignalledRun(int ExitCode, IReadOnlyList<string> StdErrLines, int SignalsSent)
{
    /// <summary>The lines starting with <c>error: </c>.</summary>
    public IReadOnlyList<string> Errors => StdErrLines.Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();

    public override string ToString() => $"exit {ExitCode}, {SignalsSent} signal(s) sent\n--- stderr\n{string.Join('\n', StdErrLines)}";
}

/// <summary>
/// Runs the real tool and sends it POSIX signals (through libc's kill, as a terminal or a CI runner does) from the
/// callback that reads its stderr, so each signal lands where the tool said it was, at any machine speed.
/// </summary>
internal static partial class SignalRunner
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>
    /// Starts the tool; for every stderr line, <paramref name="signalFor"/> may return a signal to send right away. Waits
    /// for the process to end and for the rest of its stderr.
    /// </summary>
    public static SignalledRun Run(string workingDirectory, string[] args, Func<string, int?> signalFor, IReadOnlyDictionary<string, string>? environment = null)
    {
        // These tests stand for a user at a terminal: SIGINT and SIGTERM at their defaults whatever this process inherited.
        var start = CliRunner.StartInfo(workingDirectory, args, environment, defaultSignals: true);

        using var process = new Process { StartInfo = start };
        var lines = new List<string>();
        var sent = 0;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lock (lines)
            {
                lines.Add(line);
                if (signalFor(line) is not { } signal) return;
                Send(process.Id, signal);
                sent++;
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            lock (lines) Assert.Fail($"dotnet-nuggets {string.Join(' ', args)} did not end in 3 minutes:\n{string.Join('\n', lines)}");
        }
        process.WaitForExit(); // the rest of stderr
        lock (lines) return new SignalledRun(process.ExitCode, [.. lines], sent);
    }

    private static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
