using System.Text.Json;
using Nuggets.Core;
using Nuggets.Core.Prompting;
using Nuggets.Core.Data;
using Nuggets.Core.Scoring;
using Nuggets.Llama;
using Nuggets.Llama.Scoring;

namespace Nuggets.Cli.Tests;

/// <summary>
/// The real tool (llama.cpp on the stories model, DuckDB) on small subsets of Alpaca, run as a separate process.
/// </summary>
public sealed class PipelineEndToEndTests
{
    private const int Anchors = 4;

    private static string[] Common(Workspace w, string output, string cache, string dataset = "data.jsonl") =>
        ["--dataset", w.Path(dataset), "--anchors", w.Path("anchors.jsonl"), "--output", w.Path(output), "--cache", w.Path(cache), "--quiet"];

    private static Workspace NewWorkspace(int rows)
    {
        var w = new Workspace();
        w.WriteShortAlpaca("data.jsonl", 0, rows);
        w.WriteShortAlpaca("anchors.jsonl", 600, Anchors);
        return w;
    }

    private static void AssertOk(CliResult result) => Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());

    [Test]
    public void Run_on_the_repository_config_writes_the_selection_anchors_and_manifest()
    {
        var w = new Workspace();
        w.WriteAlpaca("data.jsonl", 0, 20);

        var result = w.Nuggets("run", "--dataset", w.Path("data.jsonl"), "--anchors", "random:4", "--output", w.Path("out"), "--cache", w.Path("cache.duckdb"), "--quiet");

        AssertOk(result);
        var manifest = Workspace.Manifest(w.Path("out"));
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(w.Path("out/selected.parquet")), Is.True);
            Assert.That(File.Exists(w.Path("out/anchors.parquet")), Is.True);
            Assert.That(manifest.GetProperty("inputs")[0].GetProperty("rows").GetInt64(), Is.EqualTo(20));
            Assert.That(manifest.GetProperty("model").GetProperty("sha256").GetString(), Is.EqualTo("270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d"));
            Assert.That(manifest.GetProperty("anchors").GetProperty("count").GetInt32(), Is.EqualTo(4));
            Assert.That(manifest.GetProperty("counts").GetProperty("scored").GetInt64(), Is.EqualTo(16), "20 rows less 4 anchors");
            Assert.That(manifest.GetProperty("histogram").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()), Is.EqualTo(16));
            Assert.That(manifest.GetProperty("output").GetProperty("sha256").GetString(), Has.Length.EqualTo(64));
        });

        var stats = CliRunner.Run(w.Root, "cache", "stats", "--cache", w.Path("cache.duckdb"), "--json");
        AssertOk(stats);
        var entry = JsonDocument.Parse(stats.StdOut).RootElement.EnumerateArray().Single();
        Assert.That(entry.GetProperty("fingerprint").GetString(), Is.EqualTo(manifest.GetProperty("model").GetProperty("fingerprint").GetString()));
        Assert.That(entry.GetProperty("pairs").GetInt64(), Is.EqualTo(manifest.GetProperty("counts").GetProperty("pairsDecoded").GetInt64()));
        Assert.That(entry.GetProperty("zeroShot").GetInt64(), Is.EqualTo(4));
    }

    [Test]
    public void Golden_scores_equal_a_direct_computation_from_the_engine_sums()
    {
        var w = NewWorkspace(8);
        AssertOk(w.Nuggets("score", [.. Common(w, "out", "cache.duckdb"), "--no-prune", "--set", "output.format=jsonl"]));
        var written = Workspace.ReadJsonLines(w.Path("out/scores.jsonl"));

        // Independently: the engine's per-anchor sums, and the definition GS = |{a : o(c,a) > z(a)}| / M.
        using var engine = LlamaScoringEngine.Open(TestPaths.StoriesModel, gpuLayers: 0);
        AnchorSequence Anchor(Example e)
        {
            var text = AlpacaTemplate.Format(e);
            return new AnchorSequence(engine.Tokenize(text.FullText, false), engine.Tokenize(text.Prompt, false).Length);
        }
        var anchors = Parse(Workspace.Short(600, Anchors)).Select(Anchor).ToArray();
        var zero = engine.ScoreZeroShot(anchors, withBos: false);
        var candidates = Parse(Workspace.Short(0, 8)).ToArray();

        Assert.That(written, Has.Count.EqualTo(8));
        foreach (var row in written)
        {
            var example = candidates[row.GetProperty("row").GetInt32()];
            var tokens = engine.Tokenize(AlpacaTemplate.Format(example).FullText, addBos: true);
            var sums = engine.ScorePairs(anchors, [new PairRequest(tokens, Enumerable.Range(0, Anchors).ToArray())])[0].Sums;
            var wins = Enumerable.Range(0, Anchors).Count(a => sums[a].Sum > zero[a].Sum);
            Assert.That(row.GetProperty("wins").GetInt32(), Is.EqualTo(wins), $"row {example.Row}");
            Assert.That(row.GetProperty("golden_score").GetDouble(), Is.EqualTo((double)wins / Anchors));
            Assert.That(row.GetProperty("anchors_scored").GetInt32(), Is.EqualTo(Anchors));
            Assert.That(row.GetProperty("content_hash").GetString(), Is.EqualTo(example.ContentHash));
        }
    }

    [Test]
    public void Rerun_after_adding_10_rows_and_editing_1_decodes_only_those_11_candidates_and_equals_a_cold_run()
    {
        var w = NewWorkspace(16);
        string[] Full(string output, string cache) => [.. Common(w, output, cache), "--no-prune"];
        AssertOk(w.Nuggets("run", Full("out", "cache.duckdb")));

        var lines = File.ReadAllLines(w.Path("data.jsonl"));
        lines[7] = lines[7].Replace("\"output\":\"", "\"output\":\"Edited. ");
        File.WriteAllLines(w.Path("data.jsonl"), lines.Concat(Workspace.Short(500, 10)));
        AssertOk(w.Nuggets("run", Full("out", "cache.duckdb")));
        AssertOk(w.Nuggets("run", Full("cold", "cold.duckdb")));

        var counts = Workspace.Manifest(w.Path("out")).GetProperty("counts");
        Assert.That(counts.GetProperty("pairsDecoded").GetInt64(), Is.EqualTo(11 * Anchors));
        Assert.That(counts.GetProperty("pairsFromCache").GetInt64(), Is.EqualTo(15 * Anchors));
        // scores.parquet holds every row (never empty), so the comparison is not vacuous when nothing is selected.
        foreach (var file in new[] { "selected.parquet", "scores.parquet" })
            Assert.That(File.ReadAllBytes(w.Path($"out/{file}")), Is.EqualTo(File.ReadAllBytes(w.Path($"cold/{file}"))), file);
    }

    [Test]
    public void Pruned_selection_equals_full_scoring_and_reports_the_pairs_decoded()
    {
        var w = NewWorkspace(20);
        AssertOk(w.Nuggets("run", [.. Common(w, "full", "full.duckdb"), "--no-prune", "--threshold", "0.5"]));
        AssertOk(w.Nuggets("run", [.. Common(w, "pruned", "pruned.duckdb"), "--threshold", "0.5", "--set", "output.format=jsonl"]));
        AssertOk(w.Nuggets("run", [.. Common(w, "full-jsonl", "full.duckdb"), "--no-prune", "--threshold", "0.5", "--set", "output.format=jsonl"]));

        var rows = (string dir) => Workspace.ReadJsonLines(w.Path($"{dir}/selected.jsonl")).Select(r => r.GetProperty("row").GetInt64()).ToArray();
        var full = Workspace.Manifest(w.Path("full")).GetProperty("counts");
        var pruned = Workspace.Manifest(w.Path("pruned")).GetProperty("counts");
        Assert.That(rows("pruned"), Is.EqualTo(rows("full-jsonl")));
        Assert.That(File.ReadAllText(w.Path("pruned/selected.jsonl")), Is.EqualTo(File.ReadAllText(w.Path("full-jsonl/selected.jsonl"))),
            "selected rows carry exact golden scores even when pruning");
        Assert.That(full.GetProperty("selected").GetInt64(), Is.EqualTo(rows("full-jsonl").Length));
        Assert.That(full.GetProperty("pairsDecoded").GetInt64(), Is.EqualTo(20 * Anchors));
        Assert.That(pruned.GetProperty("pairsDecoded").GetInt64(), Is.LessThan(full.GetProperty("pairsDecoded").GetInt64()));
        Assert.That(pruned.GetProperty("pruned").GetInt64(), Is.GreaterThan(0));
    }

    [Test]
    public void Top_k_pruning_writes_the_selection_full_scoring_writes_byte_for_byte_including_a_tie_at_the_kth_place()
    {
        var w = NewWorkspace(40);
        // Full scores of every row, from which a k with a tie at the k-th place is found.
        AssertOk(w.Nuggets("score", [.. Common(w, "scores", "full.duckdb"), "--set", "output.format=jsonl"]));
        var wins = Workspace.ReadJsonLines(w.Path("scores/scores.jsonl")).Select(r => r.GetProperty("wins").GetInt32()).OrderDescending().ToArray();
        var tied = Enumerable.Range(1, wins.Length - 1).First(k => wins[k - 1] == wins[k]); // the k-th and the next row tie
        foreach (var top in new[] { "--top", "--top-percent" })
        {
            var k = top == "--top" ? tied.ToString() : "10";
            AssertOk(w.Nuggets("run", [.. Common(w, $"full{top}", "full.duckdb"), "--no-prune", top, k]));
            // 40 rows are too few for auto to run the anchor-order pilot (100 rows per demonstration): ask for it.
            AssertOk(w.Nuggets("run", [.. Common(w, $"pruned{top}", $"pruned{top}.duckdb"), top, k, "--set", "selection.anchorOrder=pilot"]));

            Assert.That(File.ReadAllBytes(w.Path($"pruned{top}/selected.parquet")), Is.EqualTo(File.ReadAllBytes(w.Path($"full{top}/selected.parquet"))), $"{top} {k}");
            var manifest = Workspace.Manifest(w.Path($"pruned{top}"));
            Assert.That(manifest.GetProperty("counts").GetProperty("selected").GetInt64(), Is.GreaterThan(0));
            Assert.That(manifest.GetProperty("pruning").GetProperty("kind").GetString(), Is.EqualTo("top"));
            Assert.That(manifest.GetProperty("pruning").GetProperty("anchorOrder").GetString(), Is.EqualTo("pilot"));
            Assert.That(manifest.GetProperty("pruning").GetProperty("order").EnumerateArray().Select(a => a.GetInt32()).Order(), Is.EqualTo(Enumerable.Range(0, Anchors)));
            Assert.That(manifest.GetProperty("pruning").GetProperty("pilot").GetProperty("pairs").GetInt64(), Is.EqualTo(Anchors * Anchors), "4 anchors as demonstrations");
            Assert.That(manifest.GetProperty("counts").GetProperty("pruned").GetInt64(), Is.GreaterThan(0), $"{top} {k} prunes");
        }
    }

    [Test]
    public void Score_is_exact_by_default_and_prunes_only_when_asked_while_run_prunes_by_default()
    {
        // The repository config selects in threshold mode (pruning on for run): score must still score every anchor.
        var w = NewWorkspace(20);
        string[] Jsonl(string output, string cache) => [.. Common(w, output, cache), "--threshold", "0.5", "--set", "output.format=jsonl"];
        AssertOk(w.Nuggets("score", Jsonl("exact", "exact.duckdb")));
        AssertOk(w.Nuggets("score", [.. Jsonl("pruned", "pruned.duckdb"), "--prune"]));
        AssertOk(w.Nuggets("run", Jsonl("run", "run.duckdb")));

        var exact = Workspace.ReadJsonLines(w.Path("exact/scores.jsonl"));
        Assert.That(exact, Has.Count.EqualTo(20));
        Assert.That(exact.Select(r => r.GetProperty("anchors_scored").GetInt32()), Is.All.EqualTo(Anchors), "score scores every anchor");
        Assert.That(exact.Select(r => r.GetProperty("score_exact").GetBoolean()), Is.All.True);
        var exactManifest = Workspace.Manifest(w.Path("exact"));
        Assert.That(exactManifest.GetProperty("settings").GetProperty("prune").GetBoolean(), Is.False);
        Assert.That(exactManifest.GetProperty("counts").GetProperty("pruned").GetInt64(), Is.Zero);
        Assert.That(exactManifest.GetProperty("counts").GetProperty("pairsDecoded").GetInt64(), Is.EqualTo(20 * Anchors));

        // --prune: rows decided early say so, and their score is a lower bound of the exact one.
        var pruned = Workspace.ReadJsonLines(w.Path("pruned/scores.jsonl"));
        Assert.That(pruned.Select(r => r.GetProperty("row").GetInt64()), Is.EqualTo(exact.Select(r => r.GetProperty("row").GetInt64())));
        Assert.That(pruned.Select(r => r.GetProperty("score_exact").GetBoolean()),
            Is.EqualTo(pruned.Select(r => r.GetProperty("anchors_scored").GetInt32() == Anchors)));
        var lowerBounds = pruned.Count(r => !r.GetProperty("score_exact").GetBoolean());
        Assert.That(lowerBounds, Is.GreaterThan(0), "some rows were pruned");
        Assert.That(Workspace.Manifest(w.Path("pruned")).GetProperty("counts").GetProperty("pruned").GetInt64(), Is.EqualTo(lowerBounds));
        Assert.That(Workspace.Manifest(w.Path("pruned")).GetProperty("settings").GetProperty("prune").GetBoolean(), Is.True);
        for (var i = 0; i < pruned.Count; i++)
        {
            var (bound, full) = (pruned[i].GetProperty("golden_score").GetDouble(), exact[i].GetProperty("golden_score").GetDouble());
            if (pruned[i].GetProperty("score_exact").GetBoolean()) Assert.That(bound, Is.EqualTo(full), $"row {i}");
            else Assert.That(bound, Is.LessThanOrEqualTo(full), $"row {i}");
        }

        // run keeps pruning by default; its score table is the same as score --prune's.
        Assert.That(Workspace.Manifest(w.Path("run")).GetProperty("settings").GetProperty("prune").GetBoolean(), Is.True);
        Assert.That(File.ReadAllText(w.Path("run/scores.jsonl")), Is.EqualTo(File.ReadAllText(w.Path("pruned/scores.jsonl"))));
    }

    [Test]
    public void Score_refuses_prune_with_no_prune_and_prune_outside_threshold_mode()
    {
        var w = NewWorkspace(4);
        var both = w.Nuggets("score", [.. Common(w, "out", "cache.duckdb"), "--prune", "--no-prune"]);
        Assert.That(both.ExitCode, Is.EqualTo(ExitCodes.Usage), both.ToString());
        Assert.That(both.StdErr, Does.StartWith("error: ").And.Contain("--prune and --no-prune"));
        var top = w.Nuggets("score", [.. Common(w, "out", "cache.duckdb"), "--prune", "--top", "2"]);
        Assert.That(top.ExitCode, Is.EqualTo(ExitCodes.Usage), top.ToString());
        Assert.That(top.StdErr, Does.Contain("threshold"));
        Assert.That(Directory.Exists(w.Path("out")), Is.False);
    }

    [Test]
    public void A_run_killed_mid_scoring_and_rerun_gives_the_uninterrupted_output()
    {
        var w = NewWorkspace(24);
        string[] Args(string output, string cache) => [.. Common(w, output, cache), "--no-prune", "--set", "cache.commitPairs=8"];
        AssertOk(w.Nuggets("run", Args("whole", "whole.duckdb")));

        // Killed right after its third commit (of 12: 24 candidates × 4 anchors, 8 pairs a commit), as the run reports it.
        var killed = CliRunner.RunAndKill(w.Root,
            ["run", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), .. Args("killed", "killed.duckdb").Where(a => a != "--quiet")],
            killWhen: line => ProgressLine.Parse(line) is { Stage: "scoring", BatchesCommitted: >= 3 }, CliRunner.EveryReport);
        Assert.That(killed.Killed, Is.True, killed.ToString());
        var last = killed.Progress[^1];
        Assert.That(last.Stage, Is.EqualTo("scoring"), "the run was still scoring when it was killed");

        AssertOk(w.Nuggets("run", Args("killed", "killed.duckdb")));
        var counts = Workspace.Manifest(w.Path("killed")).GetProperty("counts");
        // Committed, not decoded: decoding runs ahead of the commits. The committed sums include the anchors' zero-shot sums.
        Assert.That(counts.GetProperty("pairsFromCache").GetInt64(), Is.GreaterThanOrEqualTo(last.PairsCommitted - Anchors).And.GreaterThanOrEqualTo(3 * 8),
            "work committed before the kill is reused");
        Assert.That(counts.GetProperty("pairsDecoded").GetInt64() + counts.GetProperty("pairsFromCache").GetInt64(), Is.EqualTo(24 * Anchors));
        foreach (var file in new[] { "selected.parquet", "scores.parquet" })
            Assert.That(File.ReadAllBytes(w.Path($"killed/{file}")), Is.EqualTo(File.ReadAllBytes(w.Path($"whole/{file}"))), file);
    }

    [Test]
    public void A_bad_dataset_gives_its_exit_code_and_writes_nothing()
    {
        var w = new Workspace();
        File.WriteAllText(w.Path("broken.parquet"), "PAR1 this is not parquet");

        var result = w.Nuggets("run", "--dataset", w.Path("broken.parquet"), "--output", w.Path("out"), "--cache", w.Path("c.duckdb"), "--quiet");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.CorruptDataset), result.ToString());
        Assert.That(result.StdErr, Does.StartWith("error: ").And.Contain("broken.parquet"));
        Assert.That(Directory.Exists(w.Path("out")), Is.False);
    }

    private static IEnumerable<Example> Parse(IEnumerable<string> lines) =>
        lines.Select((line, i) =>
        {
            using var json = JsonDocument.Parse(line);
            var r = json.RootElement;
            return new Example(i, r.GetProperty("instruction").GetString()!, r.GetProperty("input").GetString()!, r.GetProperty("output").GetString()!);
        }).ToArray();
}
