namespace Nuggets.Build.Tasks.Tests;

/// <summary>
/// samples/DataRepository builds where it stands, right after the quick start, exactly as its README says: the
/// Nuggets.Build package comes from the local feed eng/install.sh fills (artifacts/packages, made a source by
/// samples/nuget.config), restored into a fresh NuGet packages folder so no copy from an earlier build can win.
/// </summary>
[TestFixture, Order(4)]
public class SampleInPlaceTests
{
    private static string Sample => Path.Combine(TestPaths.RepoRoot, "samples", "DataRepository");

    [Test]
    public void TheSampleBuildsInPlaceAfterTheQuickStart()
    {
        var readme = File.ReadAllText(Path.Combine(Sample, "README.md"));
        Assert.That(readme, Does.Contain("cd samples/DataRepository && dotnet build"), "the command this test runs is the one the README gives");

        var version = NuggetsVersion();
        var package = Path.Combine(TestPaths.RepoRoot, "artifacts", "packages", $"Nuggets.Build.{version}.nupkg");
        if (!File.Exists(package))
        {
            var message = $"{package} is missing: the quick start's ./eng/install.sh packs it.";
            RequiredTool.Missing(message);
        }

        // The sample's own build outputs (ignored by git) from an earlier build would turn this into a no-op build.
        foreach (var folder in new[] { "bin", "obj", ".nuggets" })
        {
            var path = Path.Combine(Sample, folder);
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }

        var packages = TestPaths.NewTempDirectory("sample-packages");
        var (exitCode, output) = DataRepo.Run(Sample, new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packages }, ["build"]);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(Directory.Exists(Path.Combine(packages, "nuggets.build", version)), "Nuggets.Build was restored from the local feed\n" + output);
        var repo = new DataRepo(Sample);
        Assert.That(File.Exists(repo.Selection), output);
        Assert.That(output, Does.Contain($"Selection ready: {repo.Selection}"), output);
        Assert.That(repo.ReadManifestCounts().GetProperty("rows").GetInt64(), Is.EqualTo(16), "the sample's 16 rows were read");
    }

    private static string NuggetsVersion()
    {
        var props = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "eng", "Versions.props"));
        var start = props.IndexOf("<NuggetsVersionPrefix>", StringComparison.Ordinal) + "<NuggetsVersionPrefix>".Length;
        return props[start..props.IndexOf("</NuggetsVersionPrefix>", start, StringComparison.Ordinal)];
    }
}
