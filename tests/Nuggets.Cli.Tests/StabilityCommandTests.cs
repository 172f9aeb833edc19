using System.Text.Json;
using Nuggets.Core;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Scoring;
using Nuggets.Core.Stability;
using Nuggets.DuckDb;

namespace Nuggets.Cli.Tests;

/// <summary>
/// <c>dotnet nuggets stability</c> and the report's Stability section on output folders made here: a manifest written
/// with <see cref="ManifestWriter"/> and a score table written by the real writer (<see cref="DuckDbSelectionWriter"/>,
/// Parquet and JSON Lines) from Alpaca rows with made-up outcomes — no model (the pipeline's own outcomes are tested
/// where it fills them).
/// </summary>
public class StabilityCommandTests
{
    private const int Anchors = 8;
    private const int Rows = 40;

    /// <summary>Made-up outcomes: rows of varied strength, every fifth row pruned after 4 anchors.</summary>
    private static IReadOnlyList<RowAnnotation> Annotations(bool withOutcomes)
    {
        var random = new SplitMix64(17);
        return Enumerable.Range(0, Rows).Select(row =>
        {
            var strength = row % 9;
            var scored = row % 5 == 0 ? 4 : Anchors;
            var outcomes = new string(Enumerable.Range(0, Anchors).Select(a => a >= scored ? '-' : random.NextBelow(8) < strength ? '1' : '0').ToArray());
            var wins = outcomes.Count(c => c == '1');
            return new RowAnnotation(row, $"hash{row}", GoldenScore.Of(wins, Anchors), wins, scored, scored == Anchors) { Outcomes = withOutcomes ? outcomes : null };
        }).ToList();
    }

    private static Manifest ManifestFor(SelectionMode mode) => new(
        "dotnet-nuggets", "test", PipelineMode.Run, null, [new ManifestInput(TestPaths.Data("alpaca/alpaca_2k.parquet"), "sha", 2000)], 2000,
        new ManifestModel("model.gguf", "sha", "b1", "CPU", "fp", "cpu/x86_64"),
        new ManifestAnchors(AnchorMethod.Random, 42, Anchors, "hash", null, Enumerable.Range(100, Anchors).Select(i => (long)i).ToArray()),
        new ManifestSettings("alpaca", BosPolicy.Reference, null, null, mode, 0.5, 10, 20, true, true, "0/1", 512),
        new ManifestCounts(2000, Anchors, 0, 0, Rows, Rows, 0, Rows / 5, 0, new Dictionary<string, long>(), 0, 0, 0),
        [], [], null);

    /// <summary>An output folder with manifest.json and scores.parquet (or .jsonl).</summary>
    private static string OutputFolder(string name, OutputFormat format, bool withOutcomes = true, SelectionMode mode = SelectionMode.Threshold)
    {
        var folder = TestPaths.NewTempDirectory(name);
        ManifestWriter.Write(ManifestFor(mode), Path.Combine(folder, "manifest.json"));
        var scores = Path.Combine(folder, format == OutputFormat.Parquet ? "scores.parquet" : "scores.jsonl");
        new DuckDbSelectionWriter().Write(DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.parquet")), Annotations(withOutcomes), scores, format, includeWinCounts: true);
        return folder;
    }

    private static StabilityEstimate Expected(SelectionMode mode, int resamples, ulong seed)
    {
        var rows = Annotations(true).Select(a => new OutcomeRow(a.Row, a.Outcomes!)).ToArray();
        return SelectionStability.Estimate(rows, Anchors, new WinCountRule(mode, 0.5, 10, 20), resamples, seed);
    }

    [TestCase(OutputFormat.Parquet, SelectionMode.Threshold)]
    [TestCase(OutputFormat.JsonLines, SelectionMode.Threshold)]
    [TestCase(OutputFormat.Parquet, SelectionMode.Top)]
    [TestCase(OutputFormat.Parquet, SelectionMode.TopPercent)]
    public void JsonHasTheNumbersOfTheEstimateOnTheTableAsWritten(OutputFormat format, SelectionMode mode)
    {
        var folder = OutputFolder($"stability-json-{format}-{mode}", format, mode: mode);
        var result = CliRunner.Run(folder, "stability", "--output", folder, "--resamples", "300", "--seed", "9", "--json");
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());

        var json = JsonDocument.Parse(result.StdOut).RootElement;
        var expected = Expected(mode, 300, 9);
        Assert.That(json.GetProperty("verdict").GetString(), Is.EqualTo(expected.Verdict));
        Assert.That(json.GetProperty("jaccard").GetProperty("mean").GetDouble(), Is.EqualTo(expected.Jaccard.Mean));
        Assert.That(json.GetProperty("halfJaccard").GetProperty("p05").GetDouble(), Is.EqualTo(expected.HalfJaccard.P05));
        Assert.That(json.GetProperty("selected").GetInt32(), Is.EqualTo(expected.SelectedRows));
        Assert.That(json.GetProperty("prunedRows").GetInt32(), Is.EqualTo(Rows / 5));
        Assert.That(json.GetProperty("uncertainRows").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(expected.UncertainRows));
        var frequencies = json.GetProperty("rowDetails").EnumerateArray().ToDictionary(e => e.GetProperty("row").GetInt64(), e => e.GetProperty("frequency").GetDouble());
        foreach (var row in expected.RowDetails.Where(r => r.Selected || r.Frequency > 0))
            Assert.That(frequencies[row.Row], Is.EqualTo(row.Frequency), $"row {row.Row}");
    }

    [Test]
    public void TheSummaryIsDeterministicAndNamesTheVerdict()
    {
        var folder = OutputFolder("stability-summary", OutputFormat.Parquet);
        var first = CliRunner.Run(folder, "stability", "--output", folder, "--resamples", "200");
        var second = CliRunner.Run(folder, "stability", "--output", folder, "--resamples", "200");
        Assert.That(first.ExitCode, Is.EqualTo(ExitCodes.Success), first.ToString());
        Assert.That(second.StdOut, Is.EqualTo(first.StdOut));
        Assert.That(first.StdOut, Does.Contain("verdict: " + Expected(SelectionMode.Threshold, 200, 0).Verdict));
        Assert.That(first.StdOut, Does.Contain("entered with their unscored anchors as losses"));
    }

    [Test]
    public void AScoreTableWithoutOutcomesIsAMissingColumnNamingTheFile()
    {
        var folder = TestPaths.NewTempDirectory("stability-old");
        ManifestWriter.Write(ManifestFor(SelectionMode.Threshold), Path.Combine(folder, "manifest.json"));
        // A score table of the previous version: its columns, not ours.
        var scores = Path.Combine(folder, "scores.jsonl");
        File.WriteAllLines(scores, Enumerable.Range(0, 5).Select(i =>
            $$"""{"instruction":"i{{i}}","input":"","output":"o","golden_score":0.5,"row":{{i}},"content_hash":"h{{i}}","wins":4,"anchors_scored":8,"score_exact":true}"""));
        var result = CliRunner.Run(folder, "stability", "--output", folder);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.MissingColumn), result.ToString());
        Assert.That(result.StdErr, Does.Contain(scores).And.Contain("outcomes"));

        // The report still renders, and says why it has no stability section.
        var report = CliRunner.Run(folder, "report", "--output", folder);
        Assert.That(report.ExitCode, Is.EqualTo(ExitCodes.Success), report.ToString());
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.That(html, Does.Contain("No stability estimate").And.Contain("no outcomes column"));
        Assert.That(html, Does.Not.Contain("class=\"num wilson\""), "no interval where the table has none");
    }

    [Test]
    public void NullOutcomesAreAMissingColumnToo()
    {
        var folder = OutputFolder("stability-null-outcomes", OutputFormat.Parquet, withOutcomes: false);
        var result = CliRunner.Run(folder, "stability", "--output", folder);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.MissingColumn), result.ToString());
        Assert.That(result.StdErr, Does.Contain(Path.Combine(folder, "scores.parquet")).And.Contain("no outcomes for 40 of 40 rows"));
    }

    [Test]
    public void MissingFilesAndBadCountsAreNamed()
    {
        var empty = TestPaths.NewTempDirectory("stability-empty");
        var noManifest = CliRunner.Run(empty, "stability", "--output", empty);
        Assert.That(noManifest.ExitCode, Is.EqualTo(ExitCodes.DatasetNotFound), noManifest.ToString());
        Assert.That(noManifest.StdErr, Does.Contain(Path.Combine(empty, "manifest.json")));

        ManifestWriter.Write(ManifestFor(SelectionMode.Threshold), Path.Combine(empty, "manifest.json"));
        var noScores = CliRunner.Run(empty, "stability", "--output", empty);
        Assert.That(noScores.ExitCode, Is.EqualTo(ExitCodes.DatasetNotFound), noScores.ToString());
        Assert.That(noScores.StdErr, Does.Contain(Path.Combine(empty, "scores.parquet")));

        var badCount = CliRunner.Run(empty, "stability", "--output", empty, "--resamples", "0");
        Assert.That(badCount.ExitCode, Is.EqualTo(ExitCodes.Usage), badCount.ToString());
    }

    [Test]
    public void TheReportHasAStabilitySectionAndWilsonIntervals()
    {
        var folder = OutputFolder("stability-report", OutputFormat.Parquet);
        var result = CliRunner.Run(folder, "report", "--output", folder);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        var expected = Expected(SelectionMode.Threshold, SelectionStability.DefaultResamples, 0);
        Assert.That(html, Does.Contain("id=\"stability\"").And.Contain(System.Net.WebUtility.HtmlEncode(expected.Verdict)));
        Assert.That(html, Does.Contain("counted as losses"));
        Assert.That(html, Does.Contain("class=\"num wilson\""));

        var again = CliRunner.Run(folder, "report", "--output", folder);
        Assert.That(again.ExitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(File.ReadAllText(Path.Combine(folder, "report.html")), Is.EqualTo(html), "the same bytes");
    }

    [Test]
    public void InspectJsonCarriesTheInterval()
    {
        var folder = OutputFolder("stability-inspect", OutputFormat.Parquet);
        var result = CliRunner.Run(folder, "inspect", "--output", folder, "--json", "--top", "5");
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        foreach (var e in JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray())
        {
            var (low, high) = WilsonInterval.Of(e.GetProperty("wins").GetInt32(), e.GetProperty("anchorsScored").GetInt32());
            Assert.That(e.GetProperty("wilsonLow").GetDouble(), Is.EqualTo(low));
            Assert.That(e.GetProperty("wilsonHigh").GetDouble(), Is.EqualTo(high));
        }
    }
}
