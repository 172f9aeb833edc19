using System.Diagnostics;

namespace Nuggets.DuckDb.Tests;

/// <summary>Runs tests/Nuggets.DuckDb.CacheHost (copied beside this assembly) as a child process.</summary>
internal sealed class CacheHost : IDisposable
{
    private readonly Process process;

    private CacheHost(Process process) => this.process = process;

    public int Pid => process.Id;

    public static CacheHost Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nuggets.DuckDb.CacheHost.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return new CacheHost(Process.Start(start)!);
    }

    /// <summary>Reads output lines until one satisfies <paramref name="done"/>; fails on exit or timeout.</summary>
    public string WaitForLine(Func<string, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var read = process.StandardOutput.ReadLineAsync();
            if (!read.Wait(deadline - DateTime.UtcNow)) break;
            var line = read.Result ?? throw new InvalidOperationException($"child exited: {process.StandardError.ReadToEnd()}");
            if (done(line)) return line;
        }
        throw new TimeoutException("child did not report in time");
    }

    /// <summary>Process.Kill on Unix sends SIGKILL: no finalizers, no checkpoint, no flush.</summary>
    public void KillHard()
    {
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>Output lines written before the process ended (call after it exited).</summary>
    public IReadOnlyList<string> RemainingLines()
    {
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line) lines.Add(line);
        return lines;
    }

    public void Release()
    {
        process.StandardInput.WriteLine("done");
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited) KillHard();
        process.Dispose();
    }
}
