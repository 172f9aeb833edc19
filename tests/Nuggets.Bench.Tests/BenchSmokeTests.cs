using System.Diagnostics;
using System.Xml.Linq;

namespace Nuggets.Bench.Tests;

/// <summary>
/// The benchmark command in quick mode, end to end: every row runs in its own child process and the report and
/// plot are written. Timings are not asserted (CI machines vary); what must hold on any machine is: every row was
/// measured, the baselines' sums equal the product's bit for bit, and rows 4 and 5 compare a non-empty selection.
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
            Assert.That(text, Does.Contain("Targets: row 4 ≥ 0.9 × the sharing bound"));
            Assert.That(text, Does.Contain("row 4 (product) = row 2 (naive): 10 sums identical"), "2 zero-shot + 4 × 2 one-shot sums");
            Assert.That(text, Does.Contain("row 3 (reference) = row 2 clipped at 200 tokens: 10 sums identical"));
            Assert.That(text, Does.Contain("selected.parquet byte-identical to row 4's: yes"));
            Assert.That(text, Does.Match(@"\| 4 \| this product, full scoring \(whole run\) \|.*\| selected [1-4] of 4 "), "a non-empty selection");
            Assert.That(text, Does.Contain("**measured:"), "row 6 reports what it measured");
            Assert.That(text, Does.Contain("Load average"));
            Assert.That(text, Does.Contain("| 10 | 1 | 10 |"), "scaling: N × 10");
            Assert.That(text, Does.Contain("| 1 | 10 | 10 |"), "scaling: M × 10");
            Assert.That(text, Does.Not.Contain("NaN").And.Not.Contain("∞"));
            Assert.That(output, Does.Contain("| 7 | 20,000 |"));
        });
        var svg = XDocument.Load(Path.Combine(folder, "benchmarks-scaling.svg"));
        Assert.That(svg.Root!.Name.LocalName, Is.EqualTo("svg"));
        Assert.That(svg.Root.Descendants().Count(e => e.Name.LocalName == "circle"), Is.EqualTo(3));
    }

    [Test]
    public void QuickPruningRunComparesEveryPrunedSelectionWithFullScoringAndKeepsThePageAroundItsBlock()
    {
        var folder = TestPaths.NewTempDirectory("bench-pruning");
        var page = Path.Combine(folder, "benchmarks.md");
        File.WriteAllText(page, "# Benchmarks\n\n<!-- bench:begin -->\nrows 1-7\n<!-- bench:end -->\n\n<!-- bench-pruning:begin -->\nold\n<!-- bench-pruning:end -->\n\nnotes\n");

        var (exit, _, error) = RunBench("--quick", "--pruning", "--repo", TestPaths.RepoRoot, "--out", page, "--work", Path.Combine(folder, "work"));

        Assert.That(exit, Is.EqualTo(0), error);
        var text = File.ReadAllText(page);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("# Benchmarks\n\n<!-- bench:begin -->\nrows 1-7\n<!-- bench:end -->\n\n<!-- bench-pruning:begin"));
            Assert.That(text, Does.EndWith("<!-- bench-pruning:end -->\n\nnotes\n"));
            Assert.That(text, Does.Not.Contain("\nold\n"));
            // 3 selections × 2 anchor orders, each checked against full scoring's bytes.
            Assert.That(System.Text.RegularExpressions.Regex.Matches(text, @"\| byte-identical, 1 of 1 \|"), Has.Count.EqualTo(6));
            Assert.That(text, Does.Match(@"\| threshold \| [1-4] \| file order \|"), "a non-empty threshold selection");
            Assert.That(text, Does.Match(@"\| top 1% \| 1 \| file order \|"), "top 1% of 4 candidates is 1 row");
            Assert.That(text, Does.Contain("(N × M = 8 pairs)"));
            Assert.That(text, Does.Not.Contain("NaN").And.Not.Contain("∞"));
        });
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
