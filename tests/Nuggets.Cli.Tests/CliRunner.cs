using System.Diagnostics;

namespace Nuggets.Cli.Tests;

/// <summary>What a run of the real tool printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}

/// <summary>Runs the built <c>dotnet-nuggets</c> as a separate process, as a user or CI would.</summary>
internal static class CliRunner
{
    public static readonly string ToolDll = Path.Combine(AppContext.BaseDirectory, "dotnet-nuggets.dll");

    public static CliResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(ToolDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Plain output: no colours or terminal width games in captured text.
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "200";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        using var process = Process.Start(start)!;
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

    /// <summary>
    /// Starts the tool and SIGKILLs it <paramref name="delay"/> after a stderr line matches <paramref name="killWhen"/>.
    /// Returns true when it was killed, false when it exited first.
    /// </summary>
    public static bool RunAndKill(string workingDirectory, string[] args, Func<string, bool> killWhen, TimeSpan delay)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ToolDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        using var seen = new ManualResetEventSlim();
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line && killWhen(line)) seen.Set(); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!seen.Wait(TimeSpan.FromMinutes(3))) return false;
        Thread.Sleep(delay);
        if (process.HasExited) return false;
        process.Kill(); // SIGKILL on Linux: no chance to clean up, like a machine losing power
        process.WaitForExit();
        return true;
    }

    /// <summary>Starts the tool without waiting; output is discarded unless the caller reads it.</summary>
    public static Process Start(string workingDirectory, string[] args, Action<string>? onStdErrLine = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ToolDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) onStdErrLine?.Invoke(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
