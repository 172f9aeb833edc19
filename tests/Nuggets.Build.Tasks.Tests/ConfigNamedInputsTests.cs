namespace Nuggets.Build.Tasks.Tests;

/// <summary>
/// A data repository whose dataset and anchor file are named only in nuggets.config.json (no NuggetsDataset items):
/// the tool's dependency file makes them Inputs of the target, so editing them reruns it and an untouched repository
/// still skips. Real targets, real CLI, real tiny model, through <c>dotnet build</c>.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ConfigNamedInputsTests
{
    private const string SkipMessage = "Skipping target \"NuggetsSelectCore\" because all output files are up-to-date";
    private DataRepo _repo = null!;
    private string Dataset => Path.Combine(_repo.Directory, "data", "train.jsonl");
    // In obj/ under the intermediate output path (obj/Debug/net10.0/ for this project).
    private string DependencyFile => Directory.GetFiles(Path.Combine(_repo.Directory, "obj"), "data.nuggets.deps", SearchOption.AllDirectories).Single();

    [OneTimeSetUp]
    public void CreateRepository()
    {
        _repo = DataRepo.FromSource("config-named-inputs", properties: "<NuggetsThreads>2</NuggetsThreads>", items: "");
        _repo.Write("nuggets.config.json", ["""{ "dataset": { "path": "data/train.jsonl" }, "anchors": { "method": "file", "path": "anchors.jsonl" }, "selection": { "threshold": 0.5 } }"""]);
        _repo.Write("anchors.jsonl", DataRepo.ShortAlpacaRows(skip: 12, count: 2));
        _repo.Write("data/train.jsonl", DataRepo.ShortAlpacaRows(skip: 0, count: 8));
    }

    [Test, Order(1)]
    public void The_first_build_runs_and_lists_every_file_the_run_read()
    {
        var (exitCode, output) = _repo.Dotnet("build");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Not.Contain(SkipMessage));
        Assert.That(File.ReadAllLines(DependencyFile), Is.EqualTo(new[]
        {
            Path.Combine(_repo.Directory, "nuggets.config.json"), Dataset, TestPaths.StoriesModel, Path.Combine(_repo.Directory, "anchors.jsonl"),
        }));
    }

    [Test, Order(2)]
    public void A_second_build_with_nothing_changed_skips()
    {
        var (exitCode, output) = _repo.Dotnet("build");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain(SkipMessage));
    }

    [Test, Order(3)]
    public void Editing_the_dataset_the_config_names_reruns_the_target()
    {
        File.AppendAllLines(Dataset, DataRepo.ShortAlpacaRows(skip: 20, count: 1));

        var (exitCode, output) = _repo.Dotnet("build");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Not.Contain(SkipMessage));
        Assert.That(_repo.ReadManifestCounts().GetProperty("rows").GetInt64(), Is.EqualTo(9), "the edited dataset was read");
    }

    [Test, Order(4)]
    public void Editing_the_anchor_file_the_config_names_reruns_and_then_the_repository_skips_again()
    {
        File.SetLastWriteTimeUtc(Path.Combine(_repo.Directory, "anchors.jsonl"), DateTime.UtcNow);
        var (exitCode, output) = _repo.Dotnet("build");
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Not.Contain(SkipMessage));

        (exitCode, output) = _repo.Dotnet("build");
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain(SkipMessage));
    }
}
