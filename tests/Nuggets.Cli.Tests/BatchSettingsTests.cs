using Nuggets.Core;

namespace Nuggets.Cli.Tests;

/// <summary>
/// Batch size and thread count change how fast the tool runs, never a sum (docs/exactness.md): two caches filled
/// under different settings hold the same keys with bit-identical sums, which `cache merge` checks for us (it
/// compares the sums of keys present in both with DuckDB's <c>&lt;&gt;</c> on DOUBLE and reports any difference).
/// </summary>
public sealed class BatchSettingsTests
{
    [Test]
    public void Batch_512_on_one_thread_and_batch_96_on_two_fill_caches_with_bit_identical_sums()
    {
        const int rows = 8, anchors = 3;
        var w = new Workspace();
        w.WriteAlpaca("data.jsonl", 0, rows);
        w.WriteAlpaca("anchors.jsonl", 1000, anchors);
        string[] Score(string cache, int batch, int threads) =>
            ["--dataset", w.Path("data.jsonl"), "--anchors", w.Path("anchors.jsonl"), "--output", w.Path(cache + "-out"), "--cache", w.Path(cache),
             "--no-prune", "--quiet", "--threads", threads.ToString(), "--set", $"model.batchSize={batch}"];

        Assert.That(w.Nuggets("score", Score("wide.duckdb", 512, 1)).ExitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(w.Nuggets("score", Score("narrow.duckdb", 96, 2)).ExitCode, Is.EqualTo(ExitCodes.Success));

        var first = CliRunner.Run(w.Root, "cache", "merge", w.Path("wide.duckdb"), "-o", w.Path("merged.duckdb"));
        var second = CliRunner.Run(w.Root, "cache", "merge", w.Path("narrow.duckdb"), "-o", w.Path("merged.duckdb"));

        Assert.That(first.StdOut, Does.Contain($"{anchors} zero-shot and {rows * anchors} pair entries added"), first.ToString());
        Assert.That(second.StdOut.Trim(), Is.EqualTo("merged: 0 zero-shot and 0 pair entries added"),
            "the second cache holds exactly the first one's keys, and no sum differs in any bit");
    }
}
