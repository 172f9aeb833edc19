using System.Globalization;
using Microsoft.Playwright;

namespace Nuggets.Report.Tests;

/// <summary>The report of a small real run, written by `run` itself, opened in headless Chromium (its file-only checks: <see cref="ReportFileTests"/>).</summary>
[TestFixture]
public sealed class ReportPageTests
{
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        if (Chromium.EnsureInstalled() is { } why)
            RequiredTool.Missing($"Headless Chromium is unavailable, so the report cannot be rendered: {why}");
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium.ExecutablePath, Headless = true, Args = Chromium.Args });
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
    }

    [Test]
    public async Task Page_loads_without_errors_or_network_and_its_numbers_match_the_manifest_and_scores()
    {
        var reportPath = SmallRun.OutFile("report.html");
        Assert.That(File.Exists(reportPath), Is.True, "run writes report.html beside the selection");
        var manifest = SmallRun.Manifest();
        var counts = manifest.GetProperty("counts");
        var scores = SmallRun.Scores();

        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type is "error" or "warning") problems.Add($"console {message.Type}: {message.Text}"); };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        page.RequestFailed += (_, request) => problems.Add($"request failed: {request.Url}");
        page.Request += (_, request) => { if (!request.Url.StartsWith("file://", StringComparison.Ordinal)) problems.Add($"network request: {request.Url}"); };
        await page.GotoAsync(new Uri(reportPath).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });

        var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "report-small-run.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        TestContext.AddTestAttachment(screenshot, "The report of a 16-row, 4-anchor run in headless Chromium");

        Assert.That(problems, Is.Empty);
        Assert.That(await page.TitleAsync(), Does.StartWith("Nuggets selection report"));

        // Histogram: one bar per manifest bin; the bars sum to the rows scored (manifest and score table agree).
        var bars = await page.Locator("#histogram rect.bar").EvaluateAllAsync<long[]>("bars => bars.map(b => Number(b.dataset.count))");
        var bins = manifest.GetProperty("histogram").EnumerateArray().Select(b => b.GetProperty("count").GetInt64()).ToArray();
        Assert.That(bars, Is.EqualTo(bins));
        Assert.That(bars.Sum(), Is.EqualTo(counts.GetProperty("scored").GetInt64()));
        Assert.That(bars.Sum(), Is.EqualTo(scores.Count));
        Assert.That(await page.Locator("#histogram-total").InnerTextAsync(), Is.EqualTo(scores.Count.ToString(CultureInfo.InvariantCulture)));
        Assert.That(await page.Locator("#histogram #threshold").GetAttributeAsync("data-value"), Is.EqualTo("0.25"));

        // Curve: at the run's threshold it shows exactly the manifest's selected count.
        var selected = counts.GetProperty("selected").GetInt64();
        Assert.That(await page.Locator("#run-point").GetAttributeAsync("data-selected"), Is.EqualTo(selected.ToString(CultureInfo.InvariantCulture)));
        var steps = await page.Locator("#curve rect.hit").EvaluateAllAsync<double[][]>(
            "rs => rs.map(r => [Number(r.dataset.from), Number(r.dataset.to), Number(r.dataset.selected)])");
        var atThreshold = steps.Single(s => s[0] <= SmallRun.Threshold && SmallRun.Threshold < s[1]);
        Assert.That(atThreshold[2], Is.EqualTo(selected));
        Assert.That(steps[0][2], Is.EqualTo(scores.Count(s => s.GoldenScore > 0)));

        // Cards, anchors and the pruning note come from the manifest and the scores.
        Assert.That(await page.Locator("#card-selected").GetAttributeAsync("data-value"), Is.EqualTo(selected.ToString(CultureInfo.InvariantCulture)));
        Assert.That(await page.Locator("#anchors tbody tr").CountAsync(), Is.EqualTo(SmallRun.Anchors));
        var anchorLock = manifest.GetProperty("anchors").GetProperty("lock");
        Assert.That(await page.Locator("#anchor-origin").InnerTextAsync(),
            Does.Contain($"pinned in {Path.GetFileName(anchorLock.GetProperty("path").GetString())} ({anchorLock.GetProperty("status").GetString()}"));
        var pruned = scores.Count(s => s.AnchorsScored < SmallRun.Anchors);
        Assert.That(pruned, Is.EqualTo(counts.GetProperty("pruned").GetInt64()));
        Assert.That(await page.Locator("#pruning-note").CountAsync(), Is.EqualTo(pruned > 0 ? 1 : 0));

        // Examples: the best rows by score then row, with their scores.
        var expectedTop = scores.OrderByDescending(s => s.GoldenScore).ThenBy(s => s.Row).Take(20).Select(s => s.Row).ToArray();
        var shownTop = await page.Locator("#top tbody tr").EvaluateAllAsync<long[]>("rs => rs.map(r => Number(r.dataset.row))");
        Assert.That(shownTop, Is.EqualTo(expectedTop));

        // Provenance: the model's and inputs' hashes are on the page.
        var text = await page.Locator("#provenance").InnerTextAsync();
        Assert.That(text, Does.Contain(manifest.GetProperty("model").GetProperty("sha256").GetString()));
        Assert.That(text, Does.Contain(manifest.GetProperty("inputs")[0].GetProperty("sha256").GetString()));
    }
}
