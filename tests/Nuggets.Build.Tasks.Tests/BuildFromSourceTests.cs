using System.Text.Json;

namespace Nuggets.Build.Tasks.Tests;

/// <summary>
/// The real targets from this checkout, the real CLI and the real tiny model, driven by <c>dotnet build</c> and
/// <c>dotnet clean</c> in child processes: one data repository through its life, step by step (the steps are
/// ordered and build on each other: first build, no-op build, touched dataset, changed row, clean).
/// </summary>
[TestFixture, Order(1)]
[NonParallelizable]
public class BuildFromSourceTests
{
    private const int Anchors = 2;
    private const string SkipMessage = "Skipping target \"NuggetsSelectCore\" because all output files are up-to-date";
    private DataRepo _repo = null!;
    private string Dataset => Path.Combine(_repo.Directory, "data", "train.jsonl");

    [OneTimeSetUp]
    public void CreateRepository()
    {
        _repo = DataRepo.FromSource("build-from-source",
            properties: $"""
                <NuggetsAnchors>anchors.jsonl</NuggetsAnchors>
                <NuggetsThreshold>0.5</NuggetsThreshold>
                <NuggetsThreads>2</NuggetsThreads>
                """,
            items: """<NuggetsDataset Include="data/*.jsonl" />""",
            // A later target consumes the output item (what packing or uploading the data would do).
            extra: """
                <Target Name="ShowSelection" AfterTargets="AfterNuggetsSelect">
                  <Message Importance="high" Text="consumed: @(NuggetsSelectedFiles) manifest=%(NuggetsSelectedFiles.Manifest)" />
                </Target>
                """);
        // Anchors from a file, so changing a candidate row cannot change the anchor set (random anchors are picked by content hash).
        _repo.Write("anchors.jsonl", DataRepo.ShortAlpacaRows(skip: 12, count: Anchors));
        _repo.Write("data/train.jsonl", DataRepo.ShortAlpacaRows(skip: 0, count: 12));
    }

    [Test, Order(1)]
    public void BuildProducesTheSelectionAndManifest()
    {
        var (exitCode, output) = _repo.Dotnet("build");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(File.Exists(_repo.Selection), output);
        Assert.That(output, Does.Not.Contain(SkipMessage));
        Assert.That(output, Does.Contain($"consumed: {_repo.Selection} manifest={_repo.Manifest}"));
        Assert.That(File.Exists(_repo.Cache), "the tool's default cache, beside the project");

        var counts = _repo.ReadManifestCounts();
        Assert.That(counts.GetProperty("rows").GetInt64(), Is.EqualTo(12));
        // Every candidate needs at least one pair before its decision is certain.
        Assert.That(counts.GetProperty("pairsDecoded").GetInt64(), Is.GreaterThanOrEqualTo(12));
        Assert.That(output, Does.Contain($"Nuggets: selected {counts.GetProperty("selected").GetInt64()} of 12 candidates"));
    }

    [Test, Order(2)]
    public void SecondBuildWithNothingChangedSkipsTheTarget()
    {
        var manifestTime = File.GetLastWriteTimeUtc(_repo.Manifest);

        var (exitCode, output) = _repo.Dotnet("build");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain(SkipMessage));
        Assert.That(output, Does.Not.Contain("dotnet-nuggets.dll run"), "the tool did not start");
        Assert.That(File.GetLastWriteTimeUtc(_repo.Manifest), Is.EqualTo(manifestTime));
        // The output item is there for later targets even when the selection was up to date.
        Assert.That(output, Does.Contain($"consumed: {_repo.Selection}"));
    }

    [Test, Order(3)]
    public void TouchedDatasetRerunsAndEveryScoreComesFromTheCache()
    {
        File.SetLastWriteTimeUtc(Dataset, DateTime.UtcNow);

        var (exitCode, output) = _repo.Dotnet("build");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Not.Contain(SkipMessage));
        var counts = _repo.ReadManifestCounts();
        Assert.That(counts.GetProperty("pairsDecoded").GetInt64(), Is.Zero, counts.ToString());
        Assert.That(counts.GetProperty("pairsFromCache").GetInt64(), Is.GreaterThanOrEqualTo(12));
    }

    [Test, Order(4)]
    public void ChangedRowIsTheOnlyOneScored()
    {
        var lines = File.ReadAllLines(Dataset);
        var row = JsonSerializer.Deserialize<Dictionary<string, string>>(lines[3])!;
        row["output"] = "A different answer, written for this test.";
        lines[3] = JsonSerializer.Serialize(row);
        File.WriteAllLines(Dataset, lines);

        var (exitCode, output) = _repo.Dotnet("build");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Not.Contain(SkipMessage));
        var counts = _repo.ReadManifestCounts();
        // Only the changed row meets the anchors again: at most one pair per anchor; the other 11 rows are cached.
        Assert.That(counts.GetProperty("pairsDecoded").GetInt64(), Is.InRange(1, Anchors), counts.ToString());
        Assert.That(counts.GetProperty("zeroShotDecoded").GetInt64(), Is.Zero, counts.ToString());
        Assert.That(counts.GetProperty("pairsFromCache").GetInt64(), Is.GreaterThanOrEqualTo(11), counts.ToString());
    }

    [Test, Order(5)]
    public void SettingChangedOnTheCommandLineRerunsTheTarget()
    {
        var (exitCode, output) = _repo.Dotnet("build", null, "-p:NuggetsThreshold=0.9");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Not.Contain(SkipMessage));
        Assert.That(_repo.ReadManifestCounts().GetProperty("pairsDecoded").GetInt64(), Is.Zero, "scores are cached; only the selection changes");
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(_repo.Manifest));
        Assert.That(manifest.RootElement.GetProperty("settings").GetProperty("threshold").GetDouble(), Is.EqualTo(0.9));
    }

    [Test, Order(6)]
    public void CleanRemovesTheOutputsButNotTheCache()
    {
        Assert.That(File.Exists(_repo.Selection) && File.Exists(_repo.Cache));

        var (exitCode, output) = _repo.Dotnet("clean");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(File.Exists(_repo.Selection), Is.False, output);
        Assert.That(File.Exists(_repo.Manifest), Is.False, output);
        Assert.That(File.Exists(_repo.Cache), "the score cache survives clean");
    }
}
