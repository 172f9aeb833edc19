using System.Diagnostics;

namespace Nuggets.Report.Tests;

/// <summary>Debian's chromium for Playwright (its own browser download cannot work here), installed when missing.</summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    private static readonly Lazy<string?> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Null when chromium is there (installed now if it was missing), else why it could not be installed.</summary>
    public static string? EnsureInstalled() => Installed.Value;

    private static string? Install()
    {
        if (File.Exists(ExecutablePath)) return null;
        TestContext.Progress.WriteLine($"{ExecutablePath} is missing; installing Debian's chromium package with apt-get.");
        var log = new System.Text.StringBuilder();
        foreach (var args in new[] { "update", "install -y --no-install-recommends chromium" })
        {
            var start = new ProcessStartInfo("apt-get", args) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            try
            {
                using var process = Process.Start(start)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                process.WaitForExit();
                log.Append(stdout.Result).Append(stderr.Result);
                if (process.ExitCode != 0) return $"`apt-get {args}` exited with {process.ExitCode}: {Tail(log.ToString())}";
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return $"apt-get could not be started ({e.Message})";
            }
        }
        return File.Exists(ExecutablePath) ? null : $"apt-get installed chromium but {ExecutablePath} is still missing: {Tail(log.ToString())}";
    }

    private static string Tail(string text) => text.Length <= 600 ? text : "…" + text[^600..];
}
