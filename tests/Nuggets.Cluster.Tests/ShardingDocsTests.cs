using System.Text.RegularExpressions;

namespace Nuggets.Cluster.Tests;

/// <summary>docs/sharding.md shows the job files exactly as the tool generates them today.</summary>
public sealed partial class ShardingDocsTests
{
    // The doc's command and project folder; the version in the header is written as the release number only.
    private const string DocProject = "/srv/project";

    [TestCase("slurm", "score.sbatch")]
    [TestCase("slurm", "merge.sbatch")]
    [TestCase("slurm", "submit.sh")]
    [TestCase("k8s", "score-job.yaml")]
    [TestCase("k8s", "merge-job.yaml")]
    public void The_doc_shows_the_generated_file(string scheduler, string file)
    {
        var project = TestPaths.NewTempDirectory("docs");
        File.Copy(Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), Path.Combine(project, "nuggets.config.json"));
        string[] args = scheduler == "slurm"
            ? ["jobs", "slurm", "--shards", "4", "--cpus", "8", "--mem", "16G"]
            : ["jobs", "k8s", "--shards", "4", "--image", "registry.example/nuggets:0.1.0", "--cpus", "8", "--mem", "16G"];
        var generated = SlurmCluster.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "dotnet-nuggets.dll"), .. args], null, project);
        Assert.That(generated.ExitCode, Is.Zero, generated.ToString());

        var text = Version().Replace(File.ReadAllText(Path.Combine(project, "jobs", scheduler, file)), "(0.1.0) from").Replace(project, DocProject).TrimEnd('\n');
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "sharding.md"));
        var block = Regex.Match(doc, $@"<!-- generated: {scheduler} {Regex.Escape(file)} -->\n```\w+\n(.*?)\n```", RegexOptions.Singleline);
        Assert.That(block.Success, Is.True, $"docs/sharding.md has no block marked 'generated: {scheduler} {file}'");
        Assert.That(block.Groups[1].Value, Is.EqualTo(text), $"docs/sharding.md's {file} is not what `dotnet nuggets {string.Join(' ', args)}` writes: update the doc");
    }

    [GeneratedRegex(@"\([^()\s]+\) from")]
    private static partial Regex Version();
}
