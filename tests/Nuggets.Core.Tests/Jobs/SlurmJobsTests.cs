using Nuggets.Core;
using Nuggets.Core.Jobs;

namespace Nuggets.Core.Tests.Jobs;

public sealed class SlurmJobsTests
{
    private static JobSpec Spec(int shards = 4, JobResources? resources = null, bool prune = true) =>
        new("nuggets", "nuggets.config.json", "jobs/slurm", ".nuggets/cache.duckdb", shards, resources ?? new JobResources(4, 2048, 0), prune, "1.2.3");

    private static string File(IReadOnlyList<GeneratedFile> files, string name) => files.Single(f => f.Name == name).Text;

    [Test]
    public void The_array_has_one_task_per_shard_and_each_task_scores_its_shard_into_its_own_cache()
    {
        var score = File(SlurmJobs.Generate(Spec(shards: 6), "/data/project", new()), "score.sbatch");

        Assert.That(score, Does.Contain("#SBATCH --array=0-5\n"));
        Assert.That(score, Does.Contain("--shard \"$shard/6\""));
        Assert.That(score, Does.Contain("--cache \"jobs/slurm/caches/shard-$shard-of-6.duckdb\" --output \"jobs/slurm/shards/$shard\""));
        Assert.That(score, Does.Contain("shard=\"${SLURM_ARRAY_TASK_ID:?"));
        Assert.That(score, Does.Contain("#SBATCH --chdir=/data/project\n").And.Contain("#SBATCH --output=jobs/slurm/logs/score-%A_%a.log\n"));
        Assert.That(score, Does.StartWith("#!/usr/bin/env bash\n"));
    }

    [Test]
    public void Resource_lines_follow_the_spec_and_a_gpu_is_asked_for_only_when_wanted()
    {
        var cpuOnly = File(SlurmJobs.Generate(Spec(resources: new JobResources(8, 16 * 1024, 0)), "/p", new()), "score.sbatch");
        Assert.That(cpuOnly, Does.Contain("#SBATCH --cpus-per-task=8\n").And.Contain("#SBATCH --mem=16G\n").And.Not.Contain("--gres"));
        Assert.That(cpuOnly, Does.Contain("--threads \"${SLURM_CPUS_PER_TASK:-8}\""));

        var gpu = SlurmJobs.Generate(Spec(resources: new JobResources(2, 1536, 1)), "/p", new("gpu", "2:00:00", "ml"));
        Assert.That(File(gpu, "score.sbatch"), Does.Contain("#SBATCH --gres=gpu:1\n").And.Contain("#SBATCH --mem=1536M\n")
            .And.Contain("#SBATCH --partition=gpu\n").And.Contain("#SBATCH --time=2:00:00\n").And.Contain("#SBATCH --account=ml\n"));
        Assert.That(File(gpu, "merge.sbatch"), Does.Not.Contain("--gres").And.Contain("#SBATCH --cpus-per-task=1\n"), "merging and selecting need no GPU");
    }

    [Test]
    public void Shards_prune_exactly_when_the_selection_would()
    {
        Assert.That(File(SlurmJobs.Generate(Spec(prune: true), "/p", new()), "score.sbatch"), Does.Contain(" --prune"));
        Assert.That(File(SlurmJobs.Generate(Spec(prune: false), "/p", new()), "score.sbatch"), Does.Not.Contain("--prune"));
    }

    [Test]
    public void The_merge_job_merges_every_shard_cache_into_the_configured_cache_then_selects_and_dies_with_a_failed_dependency()
    {
        var merge = File(SlurmJobs.Generate(Spec(shards: 3), "/p", new()), "merge.sbatch");

        Assert.That(merge, Does.Contain("#SBATCH --kill-on-invalid-dep=yes\n"));
        Assert.That(merge, Does.Contain("  jobs/slurm/caches/shard-0-of-3.duckdb \\\n  jobs/slurm/caches/shard-1-of-3.duckdb \\\n  jobs/slurm/caches/shard-2-of-3.duckdb \\\n  --output .nuggets/cache.duckdb\n"));
        Assert.That(merge, Does.Contain("$NUGGETS select --config nuggets.config.json --cache .nuggets/cache.duckdb\n"));
        Assert.That(merge.IndexOf("$NUGGETS cache merge", StringComparison.Ordinal), Is.LessThan(merge.IndexOf("$NUGGETS select", StringComparison.Ordinal)));
    }

    [Test]
    public void Submit_chains_the_merge_after_the_array_and_can_resubmit_chosen_tasks()
    {
        var submit = SlurmJobs.Generate(Spec(shards: 4), "/p", new()).Single(f => f.Name == "submit.sh");

        Assert.That(submit.Executable, Is.True);
        Assert.That(submit.Text, Does.Contain("tasks=\"${1:-0-3}\"").And.Contain("--array=\"$tasks\" score.sbatch").And.Contain("--dependency=\"afterok:$score\" merge.sbatch"));
    }

    [TestCase("/data/my project")]
    [TestCase("/data/it's")]
    public void A_project_folder_that_sbatch_lines_cannot_hold_is_refused_by_name(string folder)
    {
        var error = Assert.Throws<NuggetsException>(() => SlurmJobs.Generate(Spec(), folder, new()))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error.Message, Does.Contain(folder).And.Contain("#SBATCH"));
    }

    [Test]
    public void A_config_path_with_a_space_is_quoted_for_the_shell()
    {
        var spec = Spec() with { ConfigFile = "my config.json" };
        Assert.That(File(SlurmJobs.Generate(spec, "/p", new()), "score.sbatch"), Does.Contain("--config 'my config.json'"));
    }

    [TestCase("512M", 512)]
    [TestCase("16G", 16 * 1024)]
    [TestCase("16Gi", 16 * 1024)]
    [TestCase("1T", 1024 * 1024)]
    [TestCase("300", 300)]
    public void Memory_sizes_parse_as_schedulers_write_them(string text, long mib) =>
        Assert.That(MemorySize.ParseMiB(text, "--mem"), Is.EqualTo(mib));

    [TestCase("")]
    [TestCase("G")]
    [TestCase("0G")]
    [TestCase("1.5G")]
    [TestCase("12X")]
    public void A_bad_memory_size_names_the_setting(string text)
    {
        var error = Assert.Throws<NuggetsException>(() => MemorySize.ParseMiB(text, "--mem"))!;
        Assert.That(error.Message, Does.StartWith($"--mem '{text}'"));
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.Usage));
    }

    [TestCase(0L, 1024L)]
    [TestCase(1L, 2048L)]
    [TestCase(1L << 30, 2048L)]
    [TestCase((1L << 30) + 1, 3072L)]
    public void Default_memory_is_the_model_rounded_up_to_whole_GiB_plus_one(long modelBytes, long mib) =>
        Assert.That(JobResources.DefaultMemoryMiB(modelBytes), Is.EqualTo(mib));
}
