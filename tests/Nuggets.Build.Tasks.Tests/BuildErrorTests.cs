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

    [Test]
    public void MissingModelIsNug1003()
    {
        var repo = DataRepo.FromSource("build-no-model",
            properties: "<NuggetsAnchors>random:1</NuggetsAnchors>",
            items: """<NuggetsDataset Include="data/*.jsonl" />""");
        repo.Write("data/train.jsonl", DataRepo.ShortAlpacaRows(skip: 0, count: 3));
        var model = Path.Combine(repo.Directory, "models", "absent.gguf");

        var (exitCode, output) = repo.Dotnet("build", null, $"-p:NuggetsModel={model}");

        Assert.That(exitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Match(@"error NUG1003: "), output);
        Assert.That(output, Does.Contain(model));
    }
}
