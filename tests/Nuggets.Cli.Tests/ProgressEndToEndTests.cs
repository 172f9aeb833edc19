using Nuggets.Core;

namespace Nuggets.Cli.Tests;

/// <summary>
/// The plain progress stream of the real tool (llama.cpp on the stories model, DuckDB), one line per report
/// (<c>NUGGETS_PROGRESS_SECONDS=0</c>): counters move with every engine call, the pairs total is the real number of
/// sums the run decodes, and the last line says 100%. Only counts are asserted, never times.
/// </summary>
public sealed class ProgressEndToEndTests
{
    private const int Rows = 8;
    private const int Anchors = 3;

    private static Workspace NewWorkspace()
    {
        // Short rows keep each run to seconds; they are distinct, so every row is its own candidate.
        var w = new Workspace();
        var lines = Workspace.ShortLines(200).ToList();
        File.WriteAllLines(w.Path("data.jsonl"), lines.Take(Rows));
        File.WriteAllLines(w.Path("anchors.jsonl"), lines.Skip(100).Take(Anchors));
        return w;
    }

    private static (CliResult Result, IReadOnlyList<ProgressLine> Lines) Run(Workspace w, string output, params string[] extra)
    {
        var result = CliRunner.Run(w.Root, CliRunner.EveryReport,
            ["run", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), "--dataset", w.Path("data.jsonl"), "--anchors", w.Path("anchors.jsonl"),
             "--output", w.Path(output), "--cache", w.Path("cache.duckdb"), "--no-report", .. extra]);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        var lines = ProgressLine.All(result.StdErr);
        Assert.That(lines, Is.Not.Empty, result.ToString());
        return (result, lines);
    }

    private static long SumsDecoded(Workspace w, string output)
    {
        var counts = Workspace.Manifest(w.Path(output)).GetProperty("counts");
        return counts.GetProperty("pairsDecoded").GetInt64() + counts.GetProperty("zeroShotDecoded").GetInt64();
    }

    private static void AssertFinished(ProgressLine last, string stream)
    {
        Assert.That(last.Stage, Is.EqualTo("done"), stream);
        Assert.That((last.RowsDone, last.RowsPercent), Is.EqualTo((last.RowsTotal, 100)), stream);
        Assert.That((last.PairsDecoded, last.PairsPercent), Is.EqualTo((last.PairsTotal, 100)), stream);
        Assert.That(last.PairsCommitted, Is.EqualTo(last.PairsDecoded), "everything decoded is in the cache");
        Assert.That(last.Eta, Is.Null, "a finished run shows the time it took, not a time left");
    }

    [Test]
    public void A_cold_run_counts_pairs_per_engine_call_before_any_commit_and_a_warm_rerun_needs_none()
    {
        var w = NewWorkspace();
        // No pruning and one commit for the whole run: every counter move before the end comes from decoding alone.
        var (cold, lines) = Run(w, "cold", "--no-prune", "--set", "cache.commitPairs=1000000");
        var stream = cold.StdErr;

        Assert.That(lines.Select(l => l.Stage).Distinct(), Is.EqualTo(new[] { "anchors", "zero-shot", "counting", "scoring", "writing", "done" }),
            "each phase says it has started");
        var stated = lines.Where(l => l.PairsTotal is not null).ToList();
        Assert.That(stated[0].Stage, Is.EqualTo("counting"), "the total is stated once the rows are counted, before scoring");
        Assert.That(stated.Select(l => l.PairsTotal).Distinct(), Is.EqualTo(new long?[] { Rows * Anchors + Anchors }),
            "a cold run decodes every (row, anchor) pair and every anchor's zero-shot sum, and nothing prunes them");
        Assert.That(SumsDecoded(w, "cold"), Is.EqualTo(Rows * Anchors + Anchors), "the manifest agrees");

        var beforeCommit = lines.Where(l => l.Stage == "scoring" && l.BatchesCommitted == 0).ToList();
        var decoded = beforeCommit.Select(l => l.PairsDecoded).Distinct().ToList();
        Assert.That(decoded, Is.Ordered.Ascending.And.Count.EqualTo(Rows + 1),
            "pairs decoded moves with each candidate's engine call, all before the one commit:\n" + stream);
        Assert.That(decoded[^1], Is.EqualTo(Rows * Anchors + Anchors));
        Assert.That(beforeCommit.Select(l => l.RowsDone).Distinct(), Is.EqualTo(Enumerable.Range(0, Rows + 1).Select(r => (long)r)),
            "rows are decided one by one as they are scored, not when the batch is committed");
        Assert.That(lines.Where(l => l.Stage == "scoring").Max(l => l.BatchesCommitted), Is.EqualTo(1));
        AssertFinished(lines[^1], stream);

        var (warm, again) = Run(w, "warm", "--no-prune", "--set", "cache.commitPairs=1000000");
        Assert.That(again.Where(l => l.PairsTotal is not null).Select(l => l.PairsTotal).Distinct(), Is.EqualTo(new long?[] { 0 }),
            "the cache holds everything: nothing to decode, from the first stated total on\n" + warm.StdErr);
        Assert.That(again[^1].PairsFromCache, Is.EqualTo(Rows * Anchors), warm.StdErr);
        Assert.That(again[^1].BatchesCommitted, Is.Zero);
        AssertFinished(again[^1], warm.StdErr);
    }

    [Test]
    public void With_pruning_the_total_shrinks_as_rows_are_decided_and_ends_equal_to_what_was_decoded()
    {
        var w = NewWorkspace();
        var (run, lines) = Run(w, "out"); // `run` in threshold mode prunes by default
        var stream = run.StdErr;

        var totals = lines.Where(l => l.PairsTotal is not null).Select(l => l.PairsTotal!.Value).ToList();
        Assert.That(totals[0], Is.EqualTo(Rows * Anchors + Anchors), "before any decision a cold run needs every pair");
        Assert.That(totals, Is.Ordered.Descending, "the total only shrinks");
        Assert.That(totals[^1], Is.LessThan(totals[0]), "pruned rows' remaining pairs left the total:\n" + stream);
        Assert.That(Workspace.Manifest(w.Path("out")).GetProperty("counts").GetProperty("pruned").GetInt64(), Is.GreaterThan(0));
        Assert.That(SumsDecoded(w, "out"), Is.EqualTo(totals[^1]), "the final total is what the run really decoded");
        AssertFinished(lines[^1], stream);
    }
}
