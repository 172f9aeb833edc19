using System.Text.Json;
using Nuggets.Core;

namespace Nuggets.Cli.Tests;

/// <summary>
/// <c>model.threads</c> through the real tool: what <c>auto</c> chose is said by <c>doctor</c>, the run's summary and
/// the manifest, and a bad value stops the run before the model loads. CliRunner pins one thread for speed; the auto
/// runs here put <c>auto</c> back in that variable. The count itself depends on the machine, so only its range is checked;
/// a change mid-run is forced with the <c>NUGGETS_TEST_AUTO_THREADS</c> hook (Nuggets.Core.Cpu.ThreadScript).
/// </summary>
public sealed class ThreadsTests
{
    private static readonly Dictionary<string, string> AutoThreads = new() { [OneThread.Variable] = "auto" };

    [Test]
    public void Doctor_says_how_many_threads_auto_chooses_and_why()
    {
        var dir = TestPaths.NewTempDirectory("doctor-threads");
        File.WriteAllText(Path.Combine(dir, "nuggets.config.json"), $$"""{ "model": { "path": "{{TestPaths.StoriesModel}}" } }""");

        var json = CliRunner.Run(dir, AutoThreads, "doctor", "--json");
        var table = CliRunner.Run(dir, "doctor");

        Assert.That(json.ExitCode, Is.EqualTo(ExitCodes.Success), json.ToString());
        var root = JsonDocument.Parse(json.StdOut).RootElement;
        Assert.That(root.GetProperty("threads").GetInt32(), Is.InRange(1, Environment.ProcessorCount));
        Assert.That(root.GetProperty("threadsReason").GetString(), Does.StartWith("auto: ").And.Contain("allowed by affinity").And.Contain("cgroup quota"));
        Assert.That(table.ExitCode, Is.EqualTo(ExitCodes.Success), table.ToString());
        Assert.That(table.StdOut, Does.Contain("compute threads").And.Contain("1 (set by model.threads = 1)"));
    }

    [Test]
    public void A_run_records_the_count_and_rule_in_the_manifest_and_on_auto_prints_the_reason_once()
    {
        var w = new Workspace();
        w.WriteAlpaca("data.jsonl", 0, 12);
        w.WriteAlpaca("anchors.jsonl", 1000, 3);

        var result = CliRunner.Run(w.Root, AutoThreads, "score", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"),
            "--dataset", w.Path("data.jsonl"), "--anchors", w.Path("anchors.jsonl"), "--output", w.Path("out"), "--cache", w.Path("cache.duckdb"));

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        var model = Workspace.Manifest(w.Path("out")).GetProperty("model");
        var threads = model.GetProperty("threads").GetInt32();
        Assert.That(threads, Is.InRange(1, Environment.ProcessorCount));
        Assert.That(model.GetProperty("threadsRule").GetString(), Is.EqualTo("auto"));
        Assert.That(model.GetProperty("backend").GetString(), Does.Contain($"{threads} threads"));
        var said = result.StdOut.Split('\n').Where(l => l.Contains("(auto: ", StringComparison.Ordinal)).ToList();
        Assert.That(said, Has.Count.EqualTo(1), result.StdOut);
        // On a busy machine auto may follow the load mid-run; the line then names the start count after the range.
        Assert.That(said[0], Does.StartWith($"compute: {threads} thread").Or.Match($@"^compute: \d+-\d+ threads, adapted to load \(\d+ changes?\), started with {threads} \(auto: "));

        // The same job with a set count (every pair now from the cache): recorded as set.
        var again = CliRunner.Run(w.Root, "score", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), "--dataset", w.Path("data.jsonl"),
            "--anchors", w.Path("anchors.jsonl"), "--output", w.Path("again"), "--cache", w.Path("cache.duckdb"), "--threads", "2", "--quiet");
        Assert.That(again.ExitCode, Is.EqualTo(ExitCodes.Success), again.ToString());
        var set = Workspace.Manifest(w.Path("again")).GetProperty("model");
        Assert.That((set.GetProperty("threads").GetInt32(), set.GetProperty("threadsRule").GetString()), Is.EqualTo((2, "set")));
    }

    [Test]
    public void A_run_whose_auto_count_changes_mid_run_writes_the_same_scores_as_a_set_count()
    {
        var w = new Workspace();
        w.WriteAlpaca("data.jsonl", 0, 12);
        w.WriteAlpaca("anchors.jsonl", 1000, 3);
        string[] Score(string name) => ["score", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), "--dataset", w.Path("data.jsonl"),
            "--anchors", w.Path("anchors.jsonl"), "--output", w.Path(name), "--cache", w.Path($"{name}.duckdb")];
        // The test hook makes auto want 1, 1, 1, 2, 2, 1, ... threads, checked before every candidate: the count goes to 1,
        // up to 2 and back to 1 mid-run on any machine (and then stays, as the raise did not hold), so only one
        // candidate pays for two spinning threads on a busy test machine. Each run has its own cache: every sum is decoded.
        var script = new Dictionary<string, string> { [OneThread.Variable] = "auto", ["NUGGETS_TEST_AUTO_THREADS"] = "1,1,1,2,2" };

        var changing = CliRunner.Run(w.Root, script, Score("changing"));
        var fixedCount = CliRunner.Run(w.Root, Score("fixed"));

        Assert.That(changing.ExitCode, Is.EqualTo(ExitCodes.Success), changing.ToString());
        Assert.That(fixedCount.ExitCode, Is.EqualTo(ExitCodes.Success), fixedCount.ToString());
        Assert.That(changing.StdOut, Does.Match(@"compute: 1-\d+ threads, adapted to load \(\d+ changes?\), started with \d+ \(auto: "), changing.StdOut);
        Assert.That(Workspace.Manifest(w.Path("changing")).GetProperty("model").GetProperty("threadsRule").GetString(), Is.EqualTo("auto"));
        Assert.That(Workspace.Manifest(w.Path("fixed")).GetProperty("counts").GetProperty("pairsDecoded").GetInt64(), Is.GreaterThan(0));
        Assert.That(File.ReadAllBytes(w.Path("changing/scores.parquet")), Is.EqualTo(File.ReadAllBytes(w.Path("fixed/scores.parquet"))),
            "the thread count never changes a sum, so the score tables are byte-identical");
    }

    [TestCase("--threads", "0")]
    [TestCase("--threads", "many")]
    [TestCase("--set", "model.threads=-1")]
    [TestCase("env", "0")]
    public void A_bad_thread_count_exits_with_the_config_code_naming_the_setting(string how, string value)
    {
        var w = new Workspace();
        var args = new List<string> { "score", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), "--output", w.Path("out"), "--cache", w.Path("c.duckdb") };
        if (how != "env") args.AddRange([how, value]);
        var environment = how == "env" ? new Dictionary<string, string> { [OneThread.Variable] = value } : null;

        var result = CliRunner.Run(w.Root, environment, [.. args]);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Config), result.ToString());
        Assert.That(result.StdErr, Does.Contain("'model.threads'").And.Contain("'auto' or a whole number of at least 1"));
        Assert.That(File.Exists(w.Path("c.duckdb")), Is.False, "stopped before anything was opened");
    }

    [Test]
    public void Doctor_names_a_bad_thread_count_in_the_config_file()
    {
        var dir = TestPaths.NewTempDirectory("doctor-bad-threads");
        File.WriteAllText(Path.Combine(dir, "nuggets.config.json"), $$"""{ "model": { "path": "{{TestPaths.StoriesModel}}", "threads": 0 } }""");

        var result = CliRunner.Run(dir, new Dictionary<string, string> { [OneThread.Variable] = "" }, "doctor");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Config), result.ToString());
        Assert.That(result.StdErr, Does.Contain("'model.threads' is '0'").And.Contain("nuggets.config.json"));
    }
}
