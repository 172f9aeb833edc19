using System.Diagnostics;
using Nuggets.Core;

namespace Nuggets.Cli.Tests;

/// <summary>
/// Faults while the real tool runs: a full disk (a tiny tmpfs, filled), a read-only cache folder, SIGKILL at random
/// moments, two runs on one cache. Each must end with a clear message and a distinct exit code, and lose nothing:
/// previous outputs stay byte-identical and the cache stays usable.
/// </summary>
public sealed class FaultTests
{
    private const int Anchors = 4;

    private static Workspace NewWorkspace(int rows, int extraRows = 0)
    {
        var w = new Workspace();
        w.WriteAlpaca("data.jsonl", 0, rows);
        w.WriteAlpaca("more.jsonl", 0, rows + extraRows);
        w.WriteAlpaca("anchors.jsonl", 1000, Anchors);
        return w;
    }

    private static void AssertOk(CliResult result) => Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    private static string Read(Workspace w, string name) => File.ReadAllText(w.Path(name)).Trim();

    // The script's runs: $1 dataset, $2 output folder, $3 cache; stderr of each run goes to a file named by $4.
    private const string RunFunction = """
        nuggets_run() { $NUGGETS run --config "$NUGGETS_CONFIG" --dataset "$W/$1" --anchors "$W/anchors.jsonl" --output "$2" --cache "$3" --quiet 2> "$W/$4"; echo $? > "$W/$4.rc"; }
        fill() { dd if=/dev/zero of="$1/filler" bs=4k status=none 2>/dev/null || true; }
        """;

    [Test]
    public void A_full_disk_while_writing_outputs_fails_clearly_and_keeps_the_previous_outputs()
    {
        MountNamespace.RequireSupport();
        var w = NewWorkspace(12, extraRows: 4);
        Directory.CreateDirectory(w.Path("mnt"));
        var result = MountNamespace.Run(w.Root, RunFunction + "\n" + """
            mount -t tmpfs -o size=16m tmpfs "$W/mnt"
            nuggets_run data.jsonl "$W/mnt/out" "$W/cache.duckdb" first
            cp -a "$W/mnt/out" "$W/before"
            fill "$W/mnt"
            nuggets_run more.jsonl "$W/mnt/out" "$W/cache.duckdb" full
            ls -A "$W/mnt/out" > "$W/listing"
            cp -a "$W/mnt/out" "$W/after"
            rm "$W/mnt/filler"
            nuggets_run more.jsonl "$W/mnt/out" "$W/cache.duckdb" freed
            cp -a "$W/mnt/out" "$W/final"
            """, new Dictionary<string, string> { ["W"] = w.Root });
        AssertOk(result);
        Assert.That(Read(w, "first.rc"), Is.EqualTo("0"), Read(w, "first"));

        Assert.That(Read(w, "full.rc"), Is.EqualTo(ExitCodes.OutputError.ToString()), Read(w, "full"));
        Assert.That(Read(w, "full"), Does.StartWith("error: ").And.Contain("No space left on device").And.Contain(w.Path("mnt/out")));
        Assert.That(Files(w.Path("after")), Is.EqualTo(Files(w.Path("before"))), "the previous outputs are untouched, byte for byte");
        Assert.That(File.ReadAllLines(w.Path("listing")), Is.EquivalentTo(Directory.GetFiles(w.Path("before")).Select(Path.GetFileName)), "no temporary files are left");

        Assert.That(Read(w, "freed.rc"), Is.EqualTo("0"), Read(w, "freed"));
        AssertOk(CliRunner.Run(w.Root, "run", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), "--dataset", w.Path("more.jsonl"),
            "--anchors", w.Path("anchors.jsonl"), "--output", w.Path("reference"), "--cache", w.Path("reference.duckdb"), "--quiet"));
        Assert.That(File.ReadAllBytes(w.Path("final/selected.parquet")), Is.EqualTo(File.ReadAllBytes(w.Path("reference/selected.parquet"))));
    }

    [Test]
    public void A_full_disk_under_the_cache_fails_clearly_and_the_cache_stays_usable()
    {
        MountNamespace.RequireSupport();
        var w = NewWorkspace(8, extraRows: 12);
        Directory.CreateDirectory(w.Path("mnt"));
        var result = MountNamespace.Run(w.Root, RunFunction + "\n" + """
            mount -t tmpfs -o size=32m tmpfs "$W/mnt"
            nuggets_run data.jsonl "$W/out" "$W/mnt/cache.duckdb" first
            cp -a "$W/out" "$W/before"
            fill "$W/mnt"
            nuggets_run more.jsonl "$W/out" "$W/mnt/cache.duckdb" full
            cp -a "$W/out" "$W/after"
            rm "$W/mnt/filler"
            nuggets_run more.jsonl "$W/final" "$W/mnt/cache.duckdb" freed
            """, new Dictionary<string, string> { ["W"] = w.Root });
        AssertOk(result);
        Assert.That(Read(w, "first.rc"), Is.EqualTo("0"), Read(w, "first"));

        Assert.That(Read(w, "full.rc"), Is.EqualTo(ExitCodes.CacheError.ToString()), Read(w, "full"));
        Assert.That(Read(w, "full"), Does.StartWith("error: ").And.Contain(w.Path("mnt/cache.duckdb")).And.Contain("No space left on device"));
        Assert.That(Files(w.Path("after")), Is.EqualTo(Files(w.Path("before"))), "outputs are written only after scoring, so they are untouched");

        Assert.That(Read(w, "freed.rc"), Is.EqualTo("0"), Read(w, "freed"));
        var counts = Workspace.Manifest(w.Path("final")).GetProperty("counts");
        var firstRunPairs = Workspace.Manifest(w.Path("before")).GetProperty("counts").GetProperty("pairsDecoded").GetInt64();
        Assert.That(counts.GetProperty("pairsFromCache").GetInt64(), Is.GreaterThanOrEqualTo(firstRunPairs), "the first run's pairs survived in the cache");
        AssertOk(CliRunner.Run(w.Root, "run", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), "--dataset", w.Path("more.jsonl"),
            "--anchors", w.Path("anchors.jsonl"), "--output", w.Path("reference"), "--cache", w.Path("reference.duckdb"), "--quiet"));
        Assert.That(File.ReadAllBytes(w.Path("final/selected.parquet")), Is.EqualTo(File.ReadAllBytes(w.Path("reference/selected.parquet"))));
    }

    [Test]
    public void A_read_only_cache_folder_fails_clearly_and_writes_no_output()
    {
        MountNamespace.RequireSupport();
        var w = NewWorkspace(6);
        Directory.CreateDirectory(w.Path("mnt"));
        var result = MountNamespace.Run(w.Root, RunFunction + "\n" + """
            mount -t tmpfs -o size=32m tmpfs "$W/mnt"
            nuggets_run data.jsonl "$W/out1" "$W/mnt/cache.duckdb" first
            mount -o remount,ro "$W/mnt"
            nuggets_run more.jsonl "$W/out2" "$W/mnt/cache.duckdb" existing
            nuggets_run data.jsonl "$W/out3" "$W/mnt/sub/cache.duckdb" new
            """, new Dictionary<string, string> { ["W"] = w.Root });
        AssertOk(result);
        Assert.That(Read(w, "first.rc"), Is.EqualTo("0"), Read(w, "first"));
        foreach (var run in new[] { "existing", "new" })
        {
            Assert.That(Read(w, run + ".rc"), Is.EqualTo(ExitCodes.CacheError.ToString()), Read(w, run));
            Assert.That(Read(w, run), Does.StartWith("error: ").And.Contain("Read-only file system").And.Contain(w.Path("mnt/")));
        }
        Assert.That(Directory.Exists(w.Path("out2")) || Directory.Exists(w.Path("out3")), Is.False, "no output is written");
    }

    private static string[] RunArgs(Workspace w, string dataset, string output, string cache, params string[] extra) =>
        ["run", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), "--dataset", w.Path(dataset), "--anchors", w.Path("anchors.jsonl"),
         "--output", w.Path(output), "--cache", w.Path(cache), .. extra];

    [Test]
    public void Twenty_kills_at_random_moments_during_scoring_then_a_rerun_give_the_uninterrupted_output()
    {
        // 64 short rows × 4 short anchors, a commit every 4 pairs: one commit per candidate, 64 for the 20 kills to land between. Each
        // run prints a progress line after every commit, so a kill is placed by what the run reported, at any machine
        // speed. One thread: 22 runs of llama.cpp on a shared machine are slowed most by threads waiting for each other.
        var w = new Workspace();
        w.WriteShortAlpaca("data.jsonl", 0, 64);
        w.WriteShortAlpaca("anchors.jsonl", 600, 4);
        string[] settings = ["--no-prune", "--set", "cache.commitPairs=4", "--threads", "1"];
        var whole = CliRunner.Run(w.Root, CliRunner.EveryReport, RunArgs(w, "data.jsonl", "whole", "whole.duckdb", settings));
        AssertOk(whole);
        var commits = ProgressLine.All(whole.StdErr).Max(p => p.BatchesCommitted);
        Assert.That(commits, Is.GreaterThanOrEqualTo(60), "enough commits that every kill leaves scoring to do");

        // Seeded, so a failure reproduces. Each run is killed right after its k-th commit; k is at most half an even share
        // of the commits still to do, so every run is still scoring when its kill lands, however fast the machine.
        const int Attempts = 20;
        var random = new Random(20);
        long committed = 0, pairsCommitted = 0;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var k = 1 + random.Next(Math.Max(1, (int)((commits - committed) / (2 * (Attempts - attempt)))));
            var run = CliRunner.RunAndKill(w.Root, RunArgs(w, "data.jsonl", "killed", "killed.duckdb", settings),
                line => ProgressLine.Parse(line) is { Stage: "scoring" } p && p.BatchesCommitted >= k, CliRunner.EveryReport);
            var reports = run.Progress;
            Assert.That(run.Killed, Is.True, $"run {attempt + 1} was killed after commit {k}: {run}");
            Assert.That(reports[^1].Stage, Is.EqualTo("scoring"), $"run {attempt + 1} was killed while scoring: {run}");
            Assert.That(reports[^1].BatchesCommitted, Is.GreaterThanOrEqualTo(k));
            // Every reported commit is in the cache (the report follows the commit); one more may be, unreported. Pairs
            // decoded may run ahead of the commits (they are counted per engine call): only the committed ones count here.
            committed += reports[^1].BatchesCommitted;
            pairsCommitted += reports[^1].PairsCommitted;
        }
        TestContext.Out.WriteLine($"{Attempts} runs killed while scoring, after {committed} of {commits} commits ({pairsCommitted} pairs) in all");

        AssertOk(CliRunner.Run(w.Root, [.. RunArgs(w, "data.jsonl", "killed", "killed.duckdb", settings), "--quiet"]));
        var counts = Workspace.Manifest(w.Path("killed")).GetProperty("counts");
        var wholePairs = Workspace.Manifest(w.Path("whole")).GetProperty("counts").GetProperty("pairsDecoded").GetInt64();
        // The first killed run also committed the 4 zero-shot sums, which pairsFromCache does not count.
        Assert.That(counts.GetProperty("pairsFromCache").GetInt64(), Is.GreaterThanOrEqualTo(pairsCommitted - 4), "every pair the killed runs committed is reused");
        Assert.That(counts.GetProperty("pairsFromCache").GetInt64() + counts.GetProperty("pairsDecoded").GetInt64(), Is.EqualTo(wholePairs));
        foreach (var file in new[] { "selected.parquet", "scores.parquet" })
            Assert.That(File.ReadAllBytes(w.Path($"killed/{file}")), Is.EqualTo(File.ReadAllBytes(w.Path($"whole/{file}"))), file);
        Assert.That(Directory.GetFiles(w.Path("killed")).Select(Path.GetFileName), Is.EquivalentTo(Directory.GetFiles(w.Path("whole")).Select(Path.GetFileName)),
            "files staged by killed runs are cleaned up");
        AssertOk(CliRunner.Run(w.Root, "cache", "stats", "--cache", w.Path("killed.duckdb")));
    }

    [Test]
    public void A_second_run_on_a_busy_cache_says_who_holds_it_or_waits_when_asked()
    {
        // The first run is stopped (SIGSTOP) as it reports that scoring began, so it holds the cache, whatever the
        // machine's speed, until it is let go on (SIGCONT) once the third run says it is waiting.
        var w = NewWorkspace(12);
        using var scoring = new ManualResetEventSlim();
        using var first = CliRunner.Start(w.Root, RunArgs(w, "data.jsonl", "first", "shared.duckdb", "--no-prune"), (process, line) =>
        {
            if (scoring.IsSet || !line.Contains("scoring:", StringComparison.Ordinal)) return;
            CliRunner.Stop(process);
            scoring.Set();
        });
        Process? third = null;
        try
        {
            Assert.That(scoring.Wait(TimeSpan.FromMinutes(3)), Is.True, "the first run reached scoring");

            var refused = CliRunner.Run(w.Root, [.. RunArgs(w, "data.jsonl", "second", "shared.duckdb", "--no-prune"), "--quiet"]);
            Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.CacheLocked), refused.ToString());
            Assert.That(refused.StdErr, Does.StartWith("error: ").And.Contain(w.Path("shared.duckdb")).And.Contain($"process {first.Id}").And.Contain("cache.wait"));
            Assert.That(Directory.Exists(w.Path("second")), Is.False);
            Assert.That(first.HasExited, Is.False, "the refused run did not disturb the first");

            using var waiting = new ManualResetEventSlim();
            var waitNotice = "";
            third = CliRunner.Start(w.Root, [.. RunArgs(w, "data.jsonl", "third", "shared.duckdb", "--no-prune", "--set", "cache.wait=true"), "--quiet"],
                (_, line) =>
                {
                    if (waiting.IsSet || !line.Contains("waiting for it", StringComparison.Ordinal)) return;
                    waitNotice = line;
                    waiting.Set();
                });
            Assert.That(waiting.Wait(TimeSpan.FromMinutes(3)), Is.True, "the third run found the cache held and said it waits");
            Assert.That(waitNotice, Does.Contain(w.Path("shared.duckdb")).And.Contain($"process {first.Id}"));
            Assert.That(third.HasExited, Is.False);

            CliRunner.Continue(first);
            Assert.That(first.WaitForExit(TimeSpan.FromMinutes(3)) && first.ExitCode == 0, Is.True, "the first run finished");
            Assert.That(third.WaitForExit(TimeSpan.FromMinutes(3)) && third.ExitCode == 0, Is.True, "the waiting run finished");
            Assert.That(Workspace.Manifest(w.Path("third")).GetProperty("counts").GetProperty("pairsDecoded").GetInt64(), Is.Zero,
                "the waiting run started after the first had scored everything");
            Assert.That(File.ReadAllBytes(w.Path("third/selected.parquet")), Is.EqualTo(File.ReadAllBytes(w.Path("first/selected.parquet"))));
        }
        finally
        {
            // On a failure: SIGKILL ends a stopped process too, and the third would otherwise wait for an hour.
            foreach (var process in new[] { first, third }.OfType<Process>().Where(p => !p.HasExited)) process.Kill();
            third?.Dispose();
        }
    }
}
