namespace Nuggets.Build.Tasks.Tests;

/// <summary>A broken data repository fails the build with a NUG error that names the file, through the real targets and CLI.</summary>
[TestFixture, Order(2)]
public class BuildErrorTests
{
    [Test]
    public void DatasetWithoutTheOutputColumnIsNug1011OnThatFile()
    {
        var repo = DataRepo.FromSource("build-broken",
            properties: "<NuggetsAnchors>random:1</NuggetsAnchors>",
            items: """<NuggetsDataset Include="data/*.jsonl" />""");
        repo.Write("data/broken.jsonl", ["""{"instruction": "Say hi.", "input": "", "answer": "Hi."}""",
                                          """{"instruction": "Say bye.", "input": "", "answer": "Bye."}"""]);
        var broken = Path.Combine(repo.Directory, "data", "broken.jsonl");

        var (exitCode, output) = repo.Dotnet("build");

        Assert.That(exitCode, Is.Not.Zero, output);
        // MSBuild's canonical form: "<file> : error <code>: <message>", which CI and IDEs turn into an annotation on the file.
        Assert.That(output, Does.Contain($"{broken} : error NUG1011: "), output);
        Assert.That(output, Does.Contain("'output'"));
        Assert.That(output, Does.Not.Contain("MSB6006"), "no generic 'tool exited with code' error on top");
        Assert.That(File.Exists(repo.Selection), Is.False);
    }

    /// <summary>Also the NUGGETS_TOOL route: no NuggetsToolPath in the project, the environment names the tool.</summary>
    [Test]
    public void MissingModelIsNug1003WithTheToolFromNuggetsTool()
    {
        var repo = DataRepo.FromSource("build-no-model",
            properties: "<NuggetsAnchors>random:1</NuggetsAnchors>",
            items: """<NuggetsDataset Include="data/*.jsonl" />""",
            toolPathProperty: false);
        repo.Write("data/train.jsonl", DataRepo.ShortAlpacaRows(skip: 0, count: 3));
        var model = Path.Combine(repo.Directory, "models", "absent.gguf");
        var tool = Path.Combine(DataRepo.BinDirectory, "dotnet-nuggets.dll");

        var (exitCode, output) = repo.Dotnet("build", new Dictionary<string, string?> { ["NUGGETS_TOOL"] = tool }, $"-p:NuggetsModel={model}");

        Assert.That(exitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Contain($"{tool} run"), "the tool named by NUGGETS_TOOL ran");
        Assert.That(output, Does.Contain(" error NUG1003: "), output);
        Assert.That(output, Does.Contain(model));
    }

    /// <summary>Rows the scorer skips (here: longer than scoring.maxExampleTokens, set through a NuggetsSetting item) are a NUG2001 warning.</summary>
    [Test]
    public void SkippedRowsAreAWarningAndTheBuildSucceeds()
    {
        var repo = DataRepo.FromSource("build-skipped",
            properties: "<NuggetsAnchors>random:1</NuggetsAnchors>",
            items: """
                <NuggetsDataset Include="data/*.jsonl" />
                <NuggetsSetting Include="scoring.maxExampleTokens" Value="60" />
                """);
        repo.Write("data/train.jsonl", DataRepo.ShortAlpacaRows(skip: 0, count: 6));

        var (exitCode, output) = repo.Dotnet("build");

        Assert.That(exitCode, Is.Zero, output);
        var skipped = repo.ReadManifestCounts().GetProperty("skipped").GetInt64();
        Assert.That(skipped, Is.GreaterThan(0), "the setting reached the tool");
        Assert.That(output, Does.Contain($"{repo.Manifest} : warning NUG2001: {skipped} row(s) were skipped"), output);
        Assert.That(output, Does.Contain("longer than scoring.maxExampleTokens"));
    }
}
