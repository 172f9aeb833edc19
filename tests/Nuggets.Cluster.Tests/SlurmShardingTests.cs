using System.Diagnostics;

namespace Nuggets.Cluster.Tests;

/// <summary>
/// The generated Slurm files, submitted to a real single-node cluster: 4 shards and the dependent merge give exactly the
/// unsharded outputs; a failed or cancelled task keeps the merge from running and is resubmitted alone.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SlurmShardingTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(5);
    private SlurmCluster? cluster;
    private ShardProject whole = null!;
    private TimeSpan wholeTime;

    [OneTimeSetUp]
    public void StartClusterAndRunUnsharded()
    {
        cluster = SlurmCluster.TryStart(out var reason);
        if (cluster is null)
        {
            // CI installs Slurm (.ci/run); there a cluster that cannot start is a failure, not a skip.
            RequiredTool.Missing($"Slurm cluster: {reason}");
        }
        whole = new ShardProject();
        var clock = Stopwatch.StartNew();
        var run = whole.Nuggets("run", "--config", "nuggets.config.json", "--threads", "2", "--quiet", "--no-report");
        wholeTime = clock.Elapsed;
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(ShardProject.Manifest(whole.Path("out")).GetProperty("counts").GetProperty("selected").GetInt64(), Is.GreaterThan(0),
            "the fixture selects some rows, so equal selections compare something");
    }

    [OneTimeTearDown]
    public void StopCluster() => cluster?.Dispose();

    [Test]
    public void Four_array_tasks_then_the_merge_job_give_the_unsharded_selection_and_scores_byte_for_byte()
    {
        var project = new ShardProject();
        var generated = project.Nuggets("jobs", "slurm", "--shards", "4", "--cpus", "1", "--mem", "1G");
        Assert.That(generated.ExitCode, Is.Zero, generated.ToString());

        var clock = Stopwatch.StartNew();
        var (score, merge) = project.Submit(cluster!);
        var jobs = cluster!.WaitUntilDone(JobTimeout, score, merge);
        TestContext.Progress.WriteLine($"unsharded run: {wholeTime.TotalSeconds:0.0} s; 4 Slurm array tasks + merge, submit to done: {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.That(jobs.Select(j => (j["JobState"], j["ExitCode"])), Is.All.EqualTo(("COMPLETED", "0:0")), Logs(project, score));
        Assert.That((jobs.Length, jobs.Count(j => j.ContainsKey("ArrayTaskId"))), Is.EqualTo((5, 4)), "4 array tasks and the merge job");
        AssertSameOutputs(project);
        var counts = ShardProject.Manifest(project.Path("out")).GetProperty("counts");
        Assert.That(counts.GetProperty("pairsDecoded").GetInt64(), Is.Zero, "the merge job's select decodes nothing");
        // The shards scored with --prune, so together they decoded exactly the pairs the unsharded run did.
        var shardPairs = Enumerable.Range(0, 4).Sum(i => ShardProject.Manifest(project.Path($"jobs/slurm/shards/{i}")).GetProperty("counts").GetProperty("pairsDecoded").GetInt64());
        Assert.That(shardPairs, Is.EqualTo(ShardProject.Manifest(whole.Path("out")).GetProperty("counts").GetProperty("pairsDecoded").GetInt64()));
    }

    [Test]
    public void A_failed_or_cancelled_task_keeps_the_merge_from_running_and_resubmitting_it_alone_completes_the_same_outputs()
    {
        var project = new ShardProject();
        var generated = project.Nuggets("jobs", "slurm", "--shards", "4", "--cpus", "1", "--mem", "1G");
        Assert.That(generated.ExitCode, Is.Zero, generated.ToString());

        // 1. Task 2 fails: its cache path is taken by a folder.
        var obstacle = project.Path("jobs/slurm/caches/shard-2-of-4.duckdb");
        Directory.CreateDirectory(obstacle);
        var (score, merge) = project.Submit(cluster!);
        cluster!.WaitUntilDone(JobTimeout, score, merge);
        var failed = cluster.Job($"{score}_2");
        Assert.That(failed["JobState"], Is.EqualTo("FAILED"), Logs(project, score));
        Assert.That(failed["ExitCode"], Is.EqualTo($"{Nuggets.Core.ExitCodes.CacheError}:0"), "the tool's exit code is the task's");
        Assert.That(project.TaskLog(score, 2), Does.Contain("error: ").And.Contain("shard-2-of-4.duckdb"), "the task's log says why");
        foreach (var task in new[] { 0, 1, 3 }) Assert.That(cluster.Job($"{score}_{task}")["JobState"], Is.EqualTo("COMPLETED"), Logs(project, score));
        AssertMergeNeverRan(cluster.Job(merge), project);

        // 2. Task 2 again, cancelled mid-shard (held after a few commits, then scancel'd: SIGTERM, as Slurm delivers it).
        Directory.Delete(obstacle);
        (score, merge) = project.Submit(cluster, "2", new Dictionary<string, string> { ["NUGGETS_TEST_PAUSE_AT"] = "scoring#8" });
        SlurmCluster.WaitFor(() => project.TaskLog(score, 2).Contains("nuggets: test: paused at scoring#8"), JobTimeout, "task 2 to be mid-shard");
        var cancel = cluster.Client("scancel", $"{score}_2");
        Assert.That(cancel.ExitCode, Is.Zero, cancel.ToString());
        cluster.WaitUntilDone(JobTimeout, score, merge);
        Assert.That(cluster.Job($"{score}_2")["JobState"], Is.EqualTo("CANCELLED"), Logs(project, score));
        Assert.That(project.TaskLog(score, 2), Does.Contain("stopped by SIGTERM"), "the tool honoured Slurm's SIGTERM and kept its commits");
        AssertMergeNeverRan(cluster.Job(merge), project);

        // 3. Task 2 once more, to the end: it continues from its cache, and the merge completes the unsharded outputs.
        (score, merge) = project.Submit(cluster, "2");
        var jobs = cluster.WaitUntilDone(JobTimeout, score, merge);
        Assert.That(jobs.Select(j => j["JobState"]), Is.All.EqualTo("COMPLETED"), Logs(project, score));
        Assert.That(ShardProject.Manifest(project.Path("jobs/slurm/shards/2")).GetProperty("counts").GetProperty("pairsFromCache").GetInt64(), Is.GreaterThan(0),
            "the resubmitted task reused the pairs the cancelled one committed");
        AssertSameOutputs(project);
    }

    private void AssertSameOutputs(ShardProject project)
    {
        foreach (var file in new[] { "selected.parquet", "scores.parquet" })
            Assert.That(File.ReadAllBytes(project.Path($"out/{file}")), Is.EqualTo(File.ReadAllBytes(whole.Path($"out/{file}"))), file);
    }

    private static void AssertMergeNeverRan(IReadOnlyDictionary<string, string> merge, ShardProject project)
    {
        // --kill-on-invalid-dep: the scheduler cancels the merge job instead of leaving it pending forever.
        Assert.That((merge["JobState"], merge["Reason"]), Is.EqualTo(("CANCELLED", "DependencyNeverSatisfied")));
        Assert.That(merge["RunTime"], Is.EqualTo("00:00:00"), "the merge job never started");
        Assert.That(File.Exists(project.Path("out/selected.parquet")), Is.False);
    }

    private static string Logs(ShardProject project, string array) =>
        string.Join("\n", Enumerable.Range(0, 4).Select(i => $"--- task {i}\n{project.TaskLog(array, i)}"));
}
