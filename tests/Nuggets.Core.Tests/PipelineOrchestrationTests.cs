using Nuggets.Core.Configuration;
using Nuggets.Core.Cpu;
using Nuggets.Core.Data;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Tests.Fakes;

namespace Nuggets.Core.Tests;

/// <summary>Orchestration logic (pruning, caching, sharding) on a deterministic fake engine; the real engine is proven end to end in Nuggets.Cli.Tests.</summary>
public sealed class PipelineOrchestrationTests
{
    private static FakePipeline WithData(int rows, int anchors)
    {
        var pipeline = new FakePipeline();
        pipeline.Files["data"] = FakePipeline.Examples(rows);
        pipeline.Files["anchors"] = FakePipeline.Examples(anchors, offset: 10_000);
        return pipeline;
    }

    private static void FileAnchors(Core.Configuration.NuggetsOptions o)
    {
        o.Anchors.Method = AnchorMethod.File;
        o.Anchors.Path = Path.GetFullPath("anchors");
    }

    // The fake engine wins 82% of the pairs of these 120 rows × 20 anchors (FakeEngineTests), so golden scores centre
    // near 0.82 and these thresholds reject a good share of the rows, many of them early.
    [TestCase(0.7)]
    [TestCase(0.8)]
    [TestCase(0.85)]
    public void Pruned_threshold_selection_equals_full_scoring_and_decodes_fewer_pairs(double threshold)
    {
        var full = WithData(120, 20).Run(o => { FileAnchors(o); o.Selection.Threshold = threshold; o.Selection.Prune = false; });
        var pruning = WithData(120, 20);
        var pruned = pruning.Run(o => { FileAnchors(o); o.Selection.Threshold = threshold; });

        Assert.That(pruned.Selected!.Select(r => r.Row), Is.EqualTo(full.Selected!.Select(r => r.Row)));
        Assert.That(pruned.Selected!.Select(r => (r.Wins, r.AnchorsScored)), Is.EqualTo(full.Selected!.Select(r => (r.Wins, r.AnchorsScored))),
            "selected rows are scored to the end, so their golden scores are exact");
        Assert.That(full.Selected, Is.Not.Empty, "the fake's sums must select something for the comparison to mean anything");
        Assert.That(pruned.Manifest!.Counts.PairsDecoded, Is.LessThan(full.Manifest!.Counts.PairsDecoded));
        Assert.That(pruned.Manifest.Counts.PairsDecoded, Is.EqualTo(pruning.Engine.PairsScored), "the manifest reports the pairs actually decoded");
        Assert.That(pruned.Manifest.Counts.Pruned, Is.GreaterThan(0));
    }

    [Test]
    public void A_rerun_after_adding_10_rows_and_editing_1_scores_only_those_11_candidates()
    {
        var pipeline = WithData(100, 10);
        pipeline.Run(o => { FileAnchors(o); o.Selection.Prune = false; });
        var before = pipeline.Engine.PairsScored;

        var data = pipeline.Files["data"];
        data[42] = data[42] with { Output = "An edited answer." };
        data.AddRange(FakePipeline.Examples(10, offset: 500).Select((e, i) => e with { Row = 100 + i }));
        var rerun = pipeline.Run(o => { FileAnchors(o); o.Selection.Prune = false; });

        Assert.That(pipeline.Engine.PairsScored - before, Is.EqualTo(11 * 10));
        Assert.That(rerun.Manifest!.Counts.PairsDecoded, Is.EqualTo(11 * 10));
        Assert.That(rerun.Manifest.Counts.PairsFromCache, Is.EqualTo(99 * 10));

        var cold = new FakePipeline();
        cold.Files["data"] = data;
        cold.Files["anchors"] = pipeline.Files["anchors"];
        var coldRun = cold.Run(o => { FileAnchors(o); o.Selection.Prune = false; });
        Assert.That(rerun.Selected!.Select(r => (r.Row, r.Wins)), Is.EqualTo(coldRun.Selected!.Select(r => (r.Row, r.Wins))));
    }

    [Test]
    public void Adding_anchors_scores_only_the_new_anchor_pairs()
    {
        var pipeline = WithData(60, 8);
        pipeline.Run(o => { FileAnchors(o); o.Selection.Prune = false; });
        var before = pipeline.Engine.PairsScored;
        pipeline.Files["anchors"].AddRange(FakePipeline.Examples(3, offset: 20_000).Select((e, i) => e with { Row = 8 + i }));

        pipeline.Run(o => { FileAnchors(o); o.Selection.Prune = false; });

        Assert.That(pipeline.Engine.PairsScored - before, Is.EqualTo(60 * 3));
        Assert.That(pipeline.Engine.ZeroShotScored, Is.EqualTo(8 + 3), "zero-shot sums are computed once per anchor");
    }

    [Test]
    public void Raising_the_threshold_reuses_pruned_work_and_still_selects_exactly()
    {
        var pipeline = WithData(100, 20);
        pipeline.Run(o => { FileAnchors(o); o.Selection.Threshold = 0.7; });
        var before = pipeline.Engine.PairsScored;
        var raised = pipeline.Run(o => { FileAnchors(o); o.Selection.Threshold = 0.85; });

        var coldPipeline = WithData(100, 20);
        var cold = coldPipeline.Run(o => { FileAnchors(o); o.Selection.Threshold = 0.85; });
        var full = WithData(100, 20).Run(o => { FileAnchors(o); o.Selection.Threshold = 0.85; o.Selection.Prune = false; });

        Assert.That(raised.Selected!.Select(r => r.Row), Is.EqualTo(full.Selected!.Select(r => r.Row)));
        Assert.That(raised.Selected!.Select(r => (r.Row, r.Wins, r.AnchorsScored)), Is.EqualTo(cold.Selected!.Select(r => (r.Row, r.Wins, r.AnchorsScored))),
            "what is cached never changes where pruning stops");
        Assert.That(pipeline.Engine.PairsScored - before, Is.LessThan(coldPipeline.Engine.PairsScored));
    }

    [Test]
    public void Four_shards_sharing_a_cache_then_select_equal_the_unsharded_selection()
    {
        var whole = WithData(90, 12).Run(o => { FileAnchors(o); o.Selection.Prune = false; });

        var sharded = WithData(90, 12);
        var scoredRows = new List<long>();
        foreach (var index in new[] { 2, 0, 3, 1 })
        {
            var shard = sharded.Run(o => { FileAnchors(o); o.Selection.Prune = false; o.Shard.Index = index; o.Shard.Count = 4; }, PipelineMode.Score);
            Assert.That(Path.GetFileName(shard.OutputPath), Is.EqualTo("scores.parquet"), "a shard writes its own rows' scores");
            Assert.That(shard.Selected, Is.Null, "and no selection of its own");
            scoredRows.AddRange(shard.Rows.Where(r => r.Status == RowStatus.Scored).Select(r => r.Row));
        }
        var decodedBeforeSelect = sharded.Engine.PairsScored;
        var selected = sharded.Run(o => { FileAnchors(o); o.Selection.Prune = false; }, PipelineMode.Select);

        Assert.That(scoredRows, Is.EquivalentTo(Enumerable.Range(0, 90).Select(i => (long)i)), "every row is in exactly one shard");
        Assert.That(sharded.Engine.PairsScored, Is.EqualTo(decodedBeforeSelect), "select decodes nothing");
        Assert.That(selected.Selected!.Select(r => (r.Row, r.Wins)), Is.EqualTo(whole.Selected!.Select(r => (r.Row, r.Wins))));
    }

    [Test]
    public void Select_with_pairs_missing_from_the_cache_fails_with_the_cache_exit_code()
    {
        var pipeline = WithData(20, 4);
        var error = Assert.Throws<NuggetsException>(() => pipeline.Run(o => FileAnchors(o), PipelineMode.Select));
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.CacheError));
        Assert.That(error.Message, Does.Contain("dotnet nuggets score"));
    }

    [Test]
    public void Identical_rows_are_scored_once_and_anchor_rows_are_not_candidates()
    {
        var pipeline = WithData(30, 5);
        var data = pipeline.Files["data"];
        data.Add(data[3] with { Row = 30 });
        data.Add(pipeline.Files["anchors"][0] with { Row = 31 });

        var result = pipeline.Run(o => { FileAnchors(o); o.Selection.Prune = false; });

        Assert.That(pipeline.Engine.PairsScored, Is.EqualTo(30 * 5));
        Assert.That(result.Rows.Single(r => r.Row == 31).Status, Is.EqualTo(RowStatus.Anchor));
        Assert.That(result.Rows.Single(r => r.Row == 30).Wins, Is.EqualTo(result.Rows.Single(r => r.Row == 3).Wins));
    }

    [Test]
    public void Candidates_too_long_for_the_context_are_skipped_with_a_reason_not_scored()
    {
        var pipeline = WithData(10, 3);
        pipeline.Files["data"].Add(new Example(10, "long", "", new string('x', 5000)));

        var result = pipeline.Run(o => { FileAnchors(o); o.Selection.Prune = false; });

        var skipped = result.Rows.Single(r => r.Row == 10);
        Assert.That(skipped.Status, Is.EqualTo(RowStatus.Skipped));
        Assert.That(skipped.SkipReason, Does.Contain("context"));
        Assert.That(result.Manifest!.Counts.Skipped, Is.EqualTo(1));
        Assert.That(result.Manifest.Counts.SkippedReasons.Keys, Has.One.Contains("context"));
    }

    [Test]
    public void A_data_error_found_mid_stream_leaves_no_output_behind()
    {
        var pipeline = WithData(40, 4);
        pipeline.NullAtRow = 30;

        var error = Assert.Throws<NuggetsException>(() => pipeline.Run(o => FileAnchors(o)));

        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.NullValue));
        Assert.That(Directory.Exists(Path.Combine(pipeline.Directory, "out")), Is.False);
        // The pass that counts the pairs to decode reads every row first, so a bad row costs no decoding.
        Assert.That(pipeline.Engine.PairsScored, Is.Zero, "the error came before any pair was decoded");
        Assert.That(pipeline.Cache.Pairs, Is.Empty);
    }

    [Test]
    public void Histogram_bars_sum_to_the_rows_scored()
    {
        var result = WithData(77, 9).Run(o => { FileAnchors(o); o.Selection.Prune = false; });
        Assert.That(result.Manifest!.Histogram.Sum(b => b.Count), Is.EqualTo(result.Manifest.Counts.Scored).And.EqualTo(77));
    }

    [Test]
    public void Top_k_keeps_the_best_k_with_ties_broken_by_row_order()
    {
        var result = WithData(50, 10).Run(o => { FileAnchors(o); o.Selection.Mode = SelectionMode.Top; o.Selection.Top = 7; o.Selection.Prune = false; });
        var scored = result.Rows.Where(r => r.Status == RowStatus.Scored).ToArray();
        var expected = scored.OrderByDescending(r => r.Wins).ThenBy(r => r.Row).Take(7).Select(r => r.Row).Order();
        Assert.That(result.Selected!.Select(r => r.Row), Is.EqualTo(expected));
        Assert.That(result.Rows.Where(r => r.Status == RowStatus.Scored).Select(r => r.AnchorsScored), Is.All.EqualTo(10), "without pruning every anchor is scored");

        var pruned = WithData(50, 10).Run(o => { FileAnchors(o); o.Selection.Mode = SelectionMode.Top; o.Selection.Top = 7; });
        Assert.That(pruned.Selected!.Select(r => (r.Row, r.Wins, r.AnchorsScored)), Is.EqualTo(result.Selected!.Select(r => (r.Row, r.Wins, r.AnchorsScored))));
    }

    [Test]
    public void Max_rows_limits_every_stage_to_the_first_rows_and_is_recorded()
    {
        var pipeline = WithData(100, 5);
        var result = pipeline.Run(o => { FileAnchors(o); o.Selection.Prune = false; o.Dataset.MaxRows = 30; });

        Assert.That(result.Rows.Select(r => r.Row), Is.EqualTo(Enumerable.Range(0, 30).Select(i => (long)i)));
        Assert.That(result.Manifest!.Rows, Is.EqualTo(30));
        Assert.That(result.Manifest.Settings.MaxRows, Is.EqualTo(30));
        // The limit bounds the rows used, not the description of the input: the manifest names the file as it is.
        Assert.That(result.Manifest.Inputs.Single().Rows, Is.EqualTo(100));
        Assert.That(pipeline.Engine.PairsScored, Is.EqualTo(30 * 5), "rows past the limit are never scored");
        Assert.That(result.Selected!.All(r => r.Row < 30), Is.True);
    }

    [Test]
    public void A_governed_run_changes_the_count_only_between_engine_calls_and_scores_the_same()
    {
        var fixedRun = WithData(40, 6).Run(o => { FileAnchors(o); o.Selection.Prune = false; });
        var governed = WithData(40, 6);
        governed.Governor = engine => new ThreadGovernor(2, ThreadScript.Parse("1,1,3,3,3,2,2,2"), engine.SetThreads, TimeProvider.System, TimeSpan.Zero);
        var result = governed.Run(o => { FileAnchors(o); o.Selection.Prune = false; });

        Assert.That(result.Rows, Is.EqualTo(fixedRun.Rows));
        Assert.That(result.Selected, Is.EqualTo(fixedRun.Selected));
        // Polled before every candidate's call, so the count changed many times within one cache commit.
        var changes = governed.Engine.ThreadsSet;
        Assert.That(changes.Select(c => c.Threads).Distinct().Order(), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(changes.Count(c => c.PairsBefore > 0 && c.PairsBefore < governed.Engine.PairsScored), Is.GreaterThan(10));
        Assert.That(result.ThreadRange, Is.EqualTo(new ThreadRange(1, 3, changes.Count)));
    }

    [Test]
    public void Select_decodes_nothing_so_its_governor_is_never_asked()
    {
        var pipeline = WithData(30, 4);
        pipeline.Run(o => { FileAnchors(o); o.Selection.Prune = false; }, PipelineMode.Score);
        var asked = 0;
        pipeline.Governor = engine => new ThreadGovernor(1, () => { asked++; return 2; }, engine.SetThreads, TimeProvider.System, TimeSpan.Zero);
        var result = pipeline.Run(o => { FileAnchors(o); o.Selection.Prune = false; }, PipelineMode.Select);
        Assert.That(result.Selected, Is.Not.Null);
        Assert.That(asked, Is.Zero);
    }
}
