using YamlDotNet.RepresentationModel;

namespace Nuggets.Cluster.Tests;

/// <summary>
/// <c>jobs k8s</c> through the real tool: the manifests parse as YAML with the fields an Indexed Job and its merge Job
/// need, and pass the Kubernetes schema (eng/k8s-schema, installed by .ci/run).
/// </summary>
public sealed class KubernetesJobFilesTests
{
    private static ShardProject Generate(params string[] extra)
    {
        var project = new ShardProject();
        var generated = project.Nuggets(["jobs", "k8s", "--shards", "8", "--image", "registry.example/nuggets:1", "--cpus", "2", "--mem", "3G", .. extra]);
        Assert.That(generated.ExitCode, Is.Zero, generated.ToString());
        return project;
    }

    private static YamlMappingNode Load(string path)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(path);
        yaml.Load(reader);
        Assert.That(yaml.Documents, Has.Count.EqualTo(1), path);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params object[] path)
    {
        foreach (var step in path)
            node = step is int index ? ((YamlSequenceNode)node).Children[index] : ((YamlMappingNode)node).Children[new YamlScalarNode((string)step)];
        return node;
    }

    private static string Text(YamlNode node, params object[] path) => ((YamlScalarNode)At(node, path)).Value!;

    [Test]
    public void The_score_job_is_an_indexed_job_with_one_pod_per_shard_on_the_shared_volume()
    {
        var job = Load(Generate().Path("jobs/k8s/score-job.yaml"));

        Assert.That((Text(job, "apiVersion"), Text(job, "kind"), Text(job, "metadata", "name")), Is.EqualTo(("batch/v1", "Job", "nuggets-score")));
        Assert.That((Text(job, "spec", "completionMode"), Text(job, "spec", "completions"), Text(job, "spec", "parallelism")), Is.EqualTo(("Indexed", "8", "8")));
        var pod = At(job, "spec", "template", "spec");
        Assert.That(Text(pod, "restartPolicy"), Is.EqualTo("OnFailure"));
        var container = At(pod, "containers", 0);
        Assert.That(Text(container, "image"), Is.EqualTo("registry.example/nuggets:1"));
        Assert.That(Text(container, "workingDir"), Is.EqualTo("/work"));
        var script = Text(container, "args", 0);
        Assert.That(script, Does.Contain("--shard \"$JOB_COMPLETION_INDEX/8\"").And.Contain("--threads 2").And.Contain("--prune")
            .And.Contain("--cache \"jobs/k8s/caches/shard-$JOB_COMPLETION_INDEX-of-8.duckdb\"").And.Contain("--config nuggets.config.json"));
        Assert.That((Text(container, "resources", "requests", "cpu"), Text(container, "resources", "limits", "memory")), Is.EqualTo(("2", "3Gi")));
        Assert.That(((YamlMappingNode)At(container, "resources", "limits")).Children.Keys.Select(k => k.ToString()), Does.Not.Contain("nvidia.com/gpu"));
        Assert.That((Text(container, "volumeMounts", 0, "name"), Text(container, "volumeMounts", 0, "mountPath")), Is.EqualTo(("project", "/work")));
        Assert.That((Text(pod, "volumes", 0, "name"), Text(pod, "volumes", 0, "persistentVolumeClaim", "claimName")), Is.EqualTo(("project", "nuggets-project")));
    }

    [Test]
    public void The_merge_job_merges_all_eight_shard_caches_then_selects()
    {
        var job = Load(Generate().Path("jobs/k8s/merge-job.yaml"));

        Assert.That(Text(job, "metadata", "name"), Is.EqualTo("nuggets-merge"));
        var script = Text(job, "spec", "template", "spec", "containers", 0, "args", 0);
        for (var i = 0; i < 8; i++) Assert.That(script, Does.Contain($"jobs/k8s/caches/shard-{i}-of-8.duckdb"));
        Assert.That(script, Does.Contain("--output .nuggets/cache.duckdb && exec dotnet nuggets select --config nuggets.config.json"));
    }

    [Test]
    public void Gpus_namespace_claim_and_mount_appear_where_Kubernetes_reads_them()
    {
        var job = Load(Generate("--gpus", "1", "--namespace", "ml", "--claim", "data", "--mount", "/data").Path("jobs/k8s/score-job.yaml"));

        Assert.That(Text(job, "metadata", "namespace"), Is.EqualTo("ml"));
        var container = At(job, "spec", "template", "spec", "containers", 0);
        Assert.That((Text(container, "resources", "limits", "nvidia.com/gpu"), Text(container, "workingDir")), Is.EqualTo(("1", "/data")));
        Assert.That(Text(job, "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim", "claimName"), Is.EqualTo("data"));
    }

    [Test]
    public void The_manifests_pass_the_Kubernetes_schema()
    {
        var validator = Path.Combine(TestPaths.RepoRoot, "eng", "k8s-schema");
        if (!Directory.Exists(Path.Combine(validator, "node_modules")))
        {
            RequiredTool.Missing("the Kubernetes schema validator is not installed: npm ci --prefix eng/k8s-schema");
        }
        var project = Generate("--gpus", "1");
        var checkedFiles = SlurmCluster.Run("node", [Path.Combine(validator, "validate.mjs"), project.Path("jobs/k8s/score-job.yaml"), project.Path("jobs/k8s/merge-job.yaml")], null);
        Assert.That(checkedFiles.ExitCode, Is.Zero, checkedFiles.ToString());
        Assert.That(checkedFiles.StdOut, Does.Contain("nuggets-score is valid").And.Contain("nuggets-merge is valid"));
    }

    [Test]
    public void The_validator_rejects_a_manifest_with_a_wrong_type()
    {
        // The check above could pass by checking nothing; a broken copy must fail it.
        var validator = Path.Combine(TestPaths.RepoRoot, "eng", "k8s-schema");
        if (!Directory.Exists(Path.Combine(validator, "node_modules"))) RequiredTool.Missing("the Kubernetes schema validator is not installed: npm ci --prefix eng/k8s-schema");
        var project = Generate();
        var broken = project.Path("broken.yaml");
        File.WriteAllText(broken, File.ReadAllText(project.Path("jobs/k8s/score-job.yaml")).Replace("completions: 8", "completions: eight"));
        var checkedFile = SlurmCluster.Run("node", [Path.Combine(validator, "validate.mjs"), broken], null);
        Assert.That(checkedFile.ExitCode, Is.EqualTo(1), checkedFile.ToString());
        Assert.That(checkedFile.StdErr, Does.Contain("/spec/completions must be integer"));
    }
}
