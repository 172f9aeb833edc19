using System.IO.Compression;

namespace Nuggets.Build.Tasks.Tests;

/// <summary>
/// The packed Nuggets.Build package, restored from a local folder feed into an isolated NUGET_PACKAGES folder (a
/// unique version per run, so a stale copy can never win), used by a copy of samples/DataRepository.
/// </summary>
[TestFixture, Order(3)]
public class PackageBuildTests
{
    [Test]
    public void SampleDataRepositoryBuildsWithThePackedPackage()
    {
        var root = TestPaths.NewTempDirectory("package");
        var feed = Path.Combine(root, "feed");
        var packages = Path.Combine(root, "packages");
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";

        // Pack this checkout as a user's CI would (the same configuration as these tests, so the built CLI is reused).
        var tasksProject = Path.Combine(TestPaths.RepoRoot, "src", "Nuggets.Build.Tasks", "Nuggets.Build.Tasks.csproj");
        var (packExit, packOutput) = DataRepo.Run(root, null,
            ["pack", tasksProject, "-c", DataRepo.Configuration, "-o", feed, $"-p:PackageVersion={version}", "-nologo", "-tl:off", "-nr:false"]);
        Assert.That(packExit, Is.Zero, packOutput);
        var nupkg = Path.Combine(feed, $"Nuggets.Build.{version}.nupkg");
        AssertPackageLayout(nupkg);

        // The sample, copied as a user would copy it, pointed at this version.
        var sample = Path.Combine(root, "DataRepository");
        CopyDirectory(Path.Combine(TestPaths.RepoRoot, "samples", "DataRepository"), sample);
        var projectPath = Path.Combine(sample, "data.proj");
        var project = File.ReadAllText(projectPath);
        Assert.That(project, Does.Contain("""<PackageReference Include="Nuggets.Build" Version="0.1.0" PrivateAssets="all" />"""));
        File.WriteAllText(projectPath, project.Replace("""Include="Nuggets.Build" Version="0.1.0" """, $"""Include="Nuggets.Build" Version="{version}" """));
        // Only the test feed and the machine's package folder (for Microsoft.Build.NoTargets) as sources.
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(sample, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="test-feed" value="{feed}" />
                <add key="machine-packages" value="{globalPackages}" />
              </packageSources>
            </configuration>
            """);

        // The sample's lock pins its four anchors; this test asks for two, so it starts as a new data repository would.
        File.Delete(Path.Combine(sample, "nuggets.anchors.lock.json"));
        var repo = new DataRepo(sample);
        // Two anchors instead of the sample's four keep the scoring to seconds; everything else is the sample's.
        string[] properties = [$"-p:NuggetsModel={TestPaths.StoriesModel}", "-p:NuggetsAnchors=random:2"];
        var (exitCode, output) = repo.Dotnet("build", new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packages }, properties);

        Assert.That(exitCode, Is.Zero, output);
        var installed = Path.Combine(packages, "nuggets.build", version);
        Assert.That(Directory.Exists(installed), output);
        // The task ran the CLI shipped inside the package, not one from this checkout.
        Assert.That(output, Does.Contain($"{installed}/tools/net10.0/any/dotnet-nuggets.dll run"));
        Assert.That(File.Exists(repo.Selection), output);
        Assert.That(File.Exists(Path.Combine(repo.OutputDir, "anchors.parquet")), output);
        Assert.That(output, Does.Contain($"Selection ready: {repo.Selection}"), "the sample's own target consumed the output item");
        Assert.That(repo.ReadManifestCounts().GetProperty("rows").GetInt64(), Is.EqualTo(16));

        // The sample works as documented: a second build is a no-op, clean keeps the cache.
        var (againExit, again) = repo.Dotnet("build", new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packages }, properties);
        Assert.That(againExit, Is.Zero, again);
        Assert.That(again, Does.Contain("Skipping target \"NuggetsSelectCore\" because all output files are up-to-date"));
        var (cleanExit, cleaned) = repo.Dotnet("clean", new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packages });
        Assert.That(cleanExit, Is.Zero, cleaned);
        Assert.That(File.Exists(repo.Selection) || File.Exists(Path.Combine(repo.OutputDir, "anchors.parquet")), Is.False, cleaned);
        Assert.That(File.Exists(repo.Cache), "the score cache survives clean");

        // The anchors are pinned in the lock file beside the config, so one new row is the only work: at most its 2 pairs.
        Assert.That(File.Exists(Path.Combine(sample, "nuggets.anchors.lock.json")), "the first build pinned the anchors");
        File.AppendAllLines(Path.Combine(sample, "data", "instructions.jsonl"), ["""{"instruction": "Name a season.", "input": "", "output": "Winter."}"""]);
        var (grownExit, grown) = repo.Dotnet("build", new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packages }, properties);
        Assert.That(grownExit, Is.Zero, grown);
        var counts = repo.ReadManifestCounts();
        Assert.That(counts.GetProperty("pairsDecoded").GetInt64(), Is.InRange(1, 2), counts.ToString());
        Assert.That(counts.GetProperty("zeroShotDecoded").GetInt64(), Is.Zero, counts.ToString());
    }

    private static void AssertPackageLayout(string nupkg)
    {
        Assert.That(File.Exists(nupkg), nupkg);
        using var zip = ZipFile.OpenRead(nupkg);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.That(entries, Is.SupersetOf(new[]
        {
            "build/Nuggets.Build.props", "build/Nuggets.Build.targets",
            "buildTransitive/Nuggets.Build.props", "buildTransitive/Nuggets.Build.targets",
            "tasks/net10.0/Nuggets.Build.Tasks.dll",
            "tools/net10.0/any/dotnet-nuggets.dll", "tools/net10.0/any/dotnet-nuggets.runtimeconfig.json",
            "tools/net10.0/any/runtimes/linux-x64/native/libllama.v0.5.0.so",
            "tools/net10.0/any/runtimes/linux-x64/native/libduckdb.so",
        }));
        Assert.That(entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal)), Is.Empty, "nothing for the consumer to reference");
        using var nuspec = new StreamReader(zip.GetEntry("Nuggets.Build.nuspec")!.Open());
        var text = nuspec.ReadToEnd();
        Assert.That(text, Does.Contain("<developmentDependency>true</developmentDependency>"));
        Assert.That(text, Does.Not.Contain("<dependency "), "MSBuild's own assemblies must not become dependencies");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj" or ".nuggets") continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
