using System.Diagnostics;

namespace Nuggets.Cli.Tests;

/// <summary>
/// Runs a bash script in a private mount namespace (<c>unshare --user --map-root-user --mount</c>), where it can
/// mount a tiny or read-only tmpfs — a real full disk or read-only filesystem — without touching the machine's
/// mounts and without privileges. The script calls the tool as <c>$NUGGETS</c>.
/// </summary>
internal static class MountNamespace
{
    private static readonly Lazy<bool> Supported = new(() => Exec("unshare", ["--user", "--map-root-user", "--mount", "true"], null, null).ExitCode == 0);

    /// <summary>Skips the calling test where the kernel or container forbids user namespaces.</summary>
    public static void RequireSupport()
    {
        if (!Supported.Value) RequiredTool.Missing("unshare --user --mount is not permitted here; the full-disk and read-only tests need a private tmpfs.");
    }

    /// <summary>Runs <paramref name="script"/> with <c>set -u</c>, in <paramref name="workingDirectory"/>.</summary>
    public static CliResult Run(string workingDirectory, string script, IReadOnlyDictionary<string, string> variables)
    {
        var environment = new Dictionary<string, string>(variables)
        {
            ["NUGGETS"] = $"dotnet {CliRunner.ToolDll}",
            ["NUGGETS_CONFIG"] = Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"),
        };
        return Exec("unshare", ["--user", "--map-root-user", "--mount", "bash", "-uc", script + "\n"], workingDirectory, environment);
    }

    private static CliResult Exec(string file, string[] args, string? workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        start.Environment[OneThread.Variable] = OneThread.Value;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{file} {string.Join(' ', args)} did not finish in 5 minutes");
            }
            return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CliResult(127, "", e.Message);
        }
    }
}
