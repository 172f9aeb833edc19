namespace Nuggets.Report.Tests;

/// <summary>
/// The report of the same small real run, checked as a file: no browser, so these run wherever the tool runs, in a
/// fixture of their own that a missing Chromium cannot skip.
/// </summary>
[TestFixture]
public sealed class ReportFileTests
{
    [Test]
    public void Page_is_self_contained()
    {
        var html = File.ReadAllText(SmallRun.OutFile("report.html"));
        Assert.That(html, Does.Contain("<svg id=\"histogram\""));
        Assert.That(html, Does.Not.Contain("<script"));
        Assert.That(html, Does.Not.Contain("<link"));
        Assert.That(html, Does.Not.Contain("@import"));
        Assert.That(html, Does.Not.Contain("url("));
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"));
    }

    [Test]
    public void Report_command_rewrites_the_same_page_and_run_can_skip_it()
    {
        var written = File.ReadAllBytes(SmallRun.OutFile("report.html"));
        var again = SmallRun.Tool(SmallRun.Root, "report", "--output", "out");
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.StdOut.Trim(), Is.EqualTo(SmallRun.OutFile("report.html")));
        Assert.That(File.ReadAllBytes(SmallRun.OutFile("report.html")), Is.EqualTo(written), "the page is deterministic");

        // Same data and cache: every pair comes from the cache, so this second run is quick.
        var skipped = SmallRun.Tool(SmallRun.Root, "run", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), "--dataset", "small.jsonl",
            "--anchors", $"random:{SmallRun.Anchors}", "--threshold", "0.25", "--output", "no-report", "--cache", "cache.duckdb", "--quiet", "--no-report");
        Assert.That(skipped.ExitCode, Is.Zero, skipped.ToString());
        Assert.That(File.Exists(Path.Combine(SmallRun.Root, "no-report", "selected.parquet")), Is.True);
        Assert.That(File.Exists(Path.Combine(SmallRun.Root, "no-report", "report.html")), Is.False);

        var missing = SmallRun.Tool(SmallRun.Root, "report", "--output", "nowhere");
        Assert.That(missing.ExitCode, Is.Not.Zero);
        Assert.That(missing.StdErr, Does.Contain("manifest.json does not exist"));
    }
}
