using System.Diagnostics;
using System.Runtime.InteropServices;
using Nuggets.Llama;

namespace Nuggets.Bench;

/// <summary>What the numbers were measured on; the load average shows whether the machine was shared.</summary>
internal sealed record MachineFacts(string Cpu, int PhysicalCores, int LogicalCpus, string Memory, string LoadAtStart, string Llama, string Runtime, string Commit, DateTime Started)
{
    public string LoadAtEnd { get; set; } = "";

    public static MachineFacts Capture(string repo)
    {
        var info = LlamaRuntime.Initialize();
        return new MachineFacts(
            Field("/proc/cpuinfo", "model name") ?? "unknown",
            CpuTopology.PhysicalCores,
            Environment.ProcessorCount,
            Field("/proc/meminfo", "MemTotal") is { } kb ? $"{long.Parse(kb.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024 / 1024.0:F0} GiB" : "unknown",
            LoadAverage(),
            $"llama.cpp {info.Version} (CPU variant {info.CpuVariant})",
            $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}",
            GitCommit(repo),
            DateTime.UtcNow);
    }

    /// <summary>The 1-, 5- and 15-minute load averages.</summary>
    public static string LoadAverage() => string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string? Field(string file, string name) =>
        File.ReadLines(file).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim();

    private static string GitCommit(string repo)
    {
        try
        {
            string Git(params string[] args)
            {
                var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                start.ArgumentList.Add("-C");
                start.ArgumentList.Add(repo);
                foreach (var arg in args) start.ArgumentList.Add(arg);
                using var git = Process.Start(start)!;
                var text = git.StandardOutput.ReadToEnd().Trim();
                git.WaitForExit();
                return git.ExitCode == 0 ? text : throw new InvalidOperationException(text);
            }
            var head = Git("rev-parse", "--short", "HEAD");
            // Uncommitted changes outside the results themselves make the commit an approximation; say so.
            var dirty = Git("status", "--porcelain", "--", ".", ":!docs/benchmarks*").Length > 0;
            return dirty ? head + " (with uncommitted changes)" : head;
        }
        catch (Exception error) when (error is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "unknown (not a git checkout)";
        }
    }
}
