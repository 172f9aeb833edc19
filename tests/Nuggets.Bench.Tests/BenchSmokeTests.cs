using System.Diagnostics;
using System.Xml.Linq;

namespace Nuggets.Bench.Tests;

/// <summary>
/// The benchmark command in quick mode, end to end: every row runs in its own child process and the report and
/// plot are written. Numbers are not asserted (CI machines vary); that every row was measured is.
/// </summary>
public class BenchSmokeTests
{
    [Test]
    public void QuickRunMeasuresEveryRowAndWritesTheReport()
    {
        var folder = TestPaths.NewTempDirectory("bench");
        var page = Path.Combine(folder, "benchmarks.md");
        // An existing page keeps its hand-written text; only the marked block is replaced.
        File.WriteAllText(page, "# Benchmarks\n\nhand-written intro\n\n<!-- bench:begin -->\nold\n<!-- bench:end -->\n\nhand-written notes\n");

        var (exit, output, error) = RunBench("--quick", "--repo", TestPaths.RepoRoot, "--out", page, "--work", Path.Combine(folder, "work"));

        Assert.That(exit, Is.EqualTo(0), error);
        var text = File.ReadAllText(page);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("# Benchmarks\n\nhand-written intro\n\n<!-- bench:begin"));
            Assert.That(text, Does.EndWith("<!-- bench:end -->\n\nhand-written notes\n"));
            Assert.That(text, Does.Not.Contain("\nold\n"));
            for (var row = 1; row <= 7; row++) Assert.That(text, Does.Contain($"\n| {row} | "), $"row {row}");
            Assert.That(text, Does.Contain("Targets: row 4 ≥ 3 × row 2"));
            Assert.That(text, Does.Contain("selection identical: yes"));
            Assert.That(text, Does.Contain("Load average"));
            Assert.That(text, Does.Contain("| 10 | 1 | 10 |"), "scaling: N × 10");
            Assert.That(text, Does.Contain("| 1 | 10 | 10 |"), "scaling: M × 10");
            Assert.That(text, Does.Not.Contain("NaN").And.Not.Contain("∞"));
            Assert.That(output, Does.Contain("| 7 | streaming read of 20,000 Parquet rows"));
        });
        var svg = XDocument.Load(Path.Combine(folder, "benchmarks-scaling.svg"));
        Assert.That(svg.Root!.Name.LocalName, Is.EqualTo("svg"));
        Assert.That(svg.Root.Descendants().Count(e => e.Name.LocalName == "circle"), Is.EqualTo(3));
    }

    [Test]
    public void UnknownArgumentIsAUsageError()
    {
        var (exit, _, error) = RunBench("--bogus");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("usage: eng/bench.sh"));
    }

    private static (int Exit, string Output, string Error) RunBench(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nuggets.Bench.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the quick benchmark took more than 5 minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
