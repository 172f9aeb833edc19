using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Tests.Fakes;

namespace Nuggets.Core.Tests;

/// <summary>
/// Exact pruning for top and topPercent selection and the pilot's anchor order, as properties against full scoring,
/// on an engine whose win patterns the data steers (<see cref="SteeredEngine"/>): the real engine is proven end to end
/// in Nuggets.Cli.Tests.
/// </summary>
public sealed class RankedPruningTests
{
    private const int Anchors = 8;

    /// <summary>
    /// Rows whose win patterns are drawn from a seed: each row has a strength and each anchor a difficulty, so wins
    /// spread from 0 to 8 with many ties at every count; every seventh row repeats an earlier row (one candidate, two rows).
    /// </summary>
    private static FakePipeline Steered(int seed, int rows, Func<int, int, bool>? wins = null)
    {
        var random = new Random(seed);
        var strength = Enumerable.Range(0, rows).Select(_ => random.NextDouble()).ToArray();
        var ease = Enumerable.Range(0, Anchors).Select(_ => 0.3 + 0.7 * random.NextDouble()).ToArray();
        var examples = new List<Example>();
        for (var i = 0; i < rows; i++)
        {
            if (i % 7 == 6) { examples.Add(examples[i - 3] with { Row = i }); continue; }
            var pattern = SteeredEngine.Pattern(Enumerable.Range(0, Anchors).Select(a => wins?.Invoke(i, a) ?? random.NextDouble() < strength[i] * ease[a] + 0.1));
            examples.Add(new Example(i, $"Task {i} {pattern}", "", $"Answer {i}."));
        }
        var pipeline = new FakePipeline { EngineOverride = new SteeredEngine() };
        pipeline.Files["data"] = examples;
        // Anchors are demonstrations too (the anchor-order pilot): each wins where a typical row does.
        pipeline.Files["anchors"] = Enumerable.Range(0, Anchors).Select(a => new Example(a,
            $"This is anchor {a}. {SteeredEngine.Pattern(Enumerable.Range(0, Anchors).Select(j => wins?.Invoke(1000 + a, j) ?? random.NextDouble() < 0.5 * ease[j] + 0.1))}",
            "", $"Reply {a}.")).ToList();
        return pipeline;
    }

    private static Action<NuggetsOptions> Top(int k, bool prune, AnchorOrderMethod order = AnchorOrderMethod.Auto) => o =>
    {
        o.Anchors.Method = AnchorMethod.File;
        o.Anchors.Path = Path.GetFullPath("anchors");
        o.Selection.Mode = SelectionMode.Top;
        o.Selection.Top = k;
        o.Selection.Prune = prune;
        o.Selection.AnchorOrder = order;
        o.Selection.PilotAnchors = 5;
    };

    private static Action<NuggetsOptions> Percent(double percent, bool prune) => o =>
    {
        Top(1, prune)(o);
        o.Selection.Mode = SelectionMode.TopPercent;
        o.Selection.TopPercent = percent;
    };

    private static long Decoded(FakePipeline pipeline) => ((SteeredEngine)pipeline.EngineOverride!).PairsScored;

    private static void AssertSameSelection(FakePipeline fullRun, PipelineResult full, FakePipeline prunedRun, PipelineResult pruned)
    {
        Assert.That(full.Selected, Is.Not.Empty);
        Assert.That(pruned.Selected!.Select(r => (r.Row, r.Wins, r.AnchorsScored)), Is.EqualTo(full.Selected!.Select(r => (r.Row, r.Wins, r.AnchorsScored))),
            "the same rows, each with its exact golden score");
        Assert.That(prunedRun.Writer.Written["selected.parquet"], Is.EqualTo(fullRun.Writer.Written["selected.parquet"]), "what is written is the same");
        Assert.That(Decoded(prunedRun), Is.LessThanOrEqualTo(Decoded(fullRun)));
        Assert.That(pruned.Manifest!.Counts.PairsDecoded, Is.EqualTo(Decoded(prunedRun)), "the manifest reports the pairs actually decoded");
    }

    [Test]
    public void Top_k_pruning_selects_exactly_what_full_scoring_selects([Values(1, 2, 3)] int seed, [Values(1, 3, 10, 29, 59, 80)] int k)
    {
        var fullRun = Steered(seed, 60);
        var full = fullRun.Run(Top(k, prune: false));
        var prunedRun = Steered(seed, 60);
        var pruned = prunedRun.Run(Top(k, prune: true));

        AssertSameSelection(fullRun, full, prunedRun, pruned);
        Assert.That(pruned.Manifest!.Pruning!.Kind, Is.EqualTo("top"));
        Assert.That(pruned.Rows.Where(r => r.Status == RowStatus.Scored && r.AnchorsScored < Anchors).Select(r => r.Row),
            Is.EquivalentTo(pruned.Rows.Where(r => r.Status == RowStatus.Scored && r.AnchorsScored < Anchors).Select(r => r.Row).Except(pruned.Selected!.Select(r => r.Row))),
            "no selected row is pruned");
    }

    [Test]
    public void Top_percent_pruning_selects_exactly_what_full_scoring_selects_and_decodes_fewer_pairs([Values(1, 10)] double percent)
    {
        var fullRun = Steered(7, 300);
        var full = fullRun.Run(Percent(percent, prune: false));
        var prunedRun = Steered(7, 300);
        var pruned = prunedRun.Run(Percent(percent, prune: true));

        AssertSameSelection(fullRun, full, prunedRun, pruned);
        Assert.That(full.Selected, Has.Count.EqualTo((int)Math.Ceiling(300 * percent / 100)));
        Assert.That(Decoded(prunedRun), Is.LessThan(Decoded(fullRun)), "pruning saves pairs");
        Assert.That(pruned.Manifest!.Counts.Pruned, Is.GreaterThan(0));
    }

    [Test]
    public void A_tie_at_the_kth_place_is_broken_by_row_as_full_scoring_breaks_it([Values(1, 2, 3, 4)] int k)
    {
        // Rows 10..19 all win 5 of 8 anchors, each on a different set; rows below win fewer, rows 0..1 win all 8.
        bool Wins(int row, int anchor) => row switch
        {
            < 2 => true,
            >= 10 and < 20 => (anchor + row) % 8 < 5,
            _ => (anchor + row) % 8 < 2,
        };
        var fullRun = Steered(1, 40, Wins);
        var full = fullRun.Run(Top(2 + k, prune: false));
        var prunedRun = Steered(1, 40, Wins);
        var pruned = prunedRun.Run(Top(2 + k, prune: true));

        AssertSameSelection(fullRun, full, prunedRun, pruned);
        Assert.That(pruned.Selected!.Select(r => r.Row), Is.EqualTo(new long[] { 0, 1 }.Concat(Enumerable.Range(10, k).Select(r => (long)r))),
            "among rows tied at 5 wins (row 13 repeats row 10), the lowest rows are kept");
    }

    [Test]
    public void Where_pruning_stops_depends_on_the_sums_only_never_on_the_cache()
    {
        var cold = Steered(4, 80).Run(Top(8, prune: true, AnchorOrderMethod.Pilot));
        var warmed = Steered(4, 80);
        warmed.Run(Top(8, prune: false)); // every pair cached
        var warm = warmed.Run(Top(8, prune: true, AnchorOrderMethod.Pilot));

        Assert.That(warm.Rows.Select(r => (r.Row, r.Wins, r.AnchorsScored, r.Outcomes)), Is.EqualTo(cold.Rows.Select(r => (r.Row, r.Wins, r.AnchorsScored, r.Outcomes))));
        Assert.That(warm.Manifest!.Pruning, Is.EqualTo(cold.Manifest!.Pruning).Using<ManifestPruning>((a, b) =>
            a.Kind == b.Kind && a.AnchorOrder == b.AnchorOrder && a.Order.SequenceEqual(b.Order) && a.Pilot!.Wins.SequenceEqual(b.Pilot!.Wins)));
        Assert.That(warm.Manifest.Counts.PairsDecoded, Is.EqualTo(5 * Anchors), "only the pilot's pairs (anchors as demonstrations), which full scoring never needed");
    }

    [Test]
    public void The_pilot_orders_losing_anchors_first_and_pruning_then_decodes_fewer_pairs_for_the_same_selection(
        [Values(SelectionMode.Threshold, SelectionMode.Top)] SelectionMode mode)
    {
        // Nearly every row (and every anchor as a demonstration) wins anchors 0..3 and loses 4..7 (a row in five wins
        // them all): in file order a rejection is certain only after the wins, losing-first it is certain at once.
        bool Wins(int row, int anchor) => (row < 1000 && row % 5 == 0) || anchor < 4;
        void Configure(NuggetsOptions o, AnchorOrderMethod order)
        {
            Top(10, prune: true, order)(o);
            o.Selection.Mode = mode;
            o.Selection.Threshold = 0.6;
        }
        var fileRun = Steered(1, 100, Wins);
        var byFile = fileRun.Run(o => Configure(o, AnchorOrderMethod.File));
        var pilotRun = Steered(1, 100, Wins);
        var byPilot = pilotRun.Run(o => Configure(o, AnchorOrderMethod.Pilot));

        Assert.That(byPilot.Selected!.Select(r => (r.Row, r.Wins)), Is.EqualTo(byFile.Selected!.Select(r => (r.Row, r.Wins))));
        Assert.That(byPilot.Selected, Is.Not.Empty);
        Assert.That(pilotRun.Writer.Written["selected.parquet"], Is.EqualTo(fileRun.Writer.Written["selected.parquet"]));
        Assert.That(byPilot.Manifest!.Pruning!.AnchorOrder, Is.EqualTo("pilot"));
        Assert.That(byPilot.Manifest.Pruning.Order.Take(4), Is.EquivalentTo(new[] { 4, 5, 6, 7 }), "the anchors most rows lose come first");
        Assert.That(byPilot.Manifest.Pruning.Pilot!.Demonstrations, Is.EqualTo(5), "selection.pilotAnchors");
        Assert.That(byPilot.Manifest.Pruning.Pilot.Pairs, Is.EqualTo(5 * Anchors));
        Assert.That(byPilot.Manifest.Pruning.Pilot.Trials, Is.EqualTo(new long[] { 4, 4, 4, 4, 4, 5, 5, 5 }), "an anchor is not its own demonstration");
        Assert.That(byFile.Manifest!.Pruning!.AnchorOrder, Is.EqualTo("file"));
        Assert.That(byFile.Manifest.Pruning.Order, Is.EqualTo(Enumerable.Range(0, Anchors)));
        Assert.That(Decoded(pilotRun), Is.LessThan(Decoded(fileRun)));
    }

    [Test]
    public void The_pilot_order_does_not_change_when_rows_are_added_so_a_rerun_reuses_every_pruned_walk()
    {
        var pipeline = Steered(5, 60);
        void Threshold(NuggetsOptions o)
        {
            Top(1, prune: true, AnchorOrderMethod.Pilot)(o);
            o.Selection.Mode = SelectionMode.Threshold;
            o.Selection.Threshold = 0.5;
        }
        var first = pipeline.Run(Threshold);
        var decoded = Decoded(pipeline);
        var extra = Steered(6, 80).Files["data"].Skip(60).ToList();
        pipeline.Files["data"].AddRange(extra);
        var rerun = pipeline.Run(Threshold);

        Assert.That(rerun.Manifest!.Pruning!.Order, Is.EqualTo(first.Manifest!.Pruning!.Order));
        Assert.That(rerun.Rows.Take(60).Select(r => (r.Wins, r.AnchorsScored)), Is.EqualTo(first.Rows.Select(r => (r.Wins, r.AnchorsScored))));
        Assert.That(rerun.Manifest.Counts.PairsDecoded, Is.EqualTo(Decoded(pipeline) - decoded));
        // The new rows alone, on a cold cache, decode the pilot's pairs and their own: the rerun decodes their own only.
        var alone = Steered(5, 60); // the same anchors
        alone.Files["data"] = extra.Select((e, i) => e with { Row = i }).ToList();
        alone.Run(Threshold);
        Assert.That(rerun.Manifest.Counts.PairsDecoded, Is.EqualTo(Decoded(alone) - 5 * Anchors), "only the 20 new rows are scored");
        Assert.That(first.Manifest.Pruning.AnchorOrder, Is.EqualTo("pilot"));
    }

    [Test]
    public void Select_after_a_full_score_prunes_from_the_cache_in_file_order_and_decodes_nothing(
        [Values(SelectionMode.Threshold, SelectionMode.Top)] SelectionMode mode)
    {
        void Configure(NuggetsOptions o, bool prune)
        {
            Top(12, prune, AnchorOrderMethod.Pilot)(o);
            o.Selection.Mode = mode;
            o.Selection.Threshold = 0.5;
        }
        var pipeline = Steered(8, 120); // select asks for the pilot, whose pairs the score before it never decoded
        var full = pipeline.Run(o => Configure(o, prune: false));
        pipeline.Run(o => Configure(o, prune: false), PipelineMode.Score);
        var decoded = Decoded(pipeline);
        var selected = pipeline.Run(o => Configure(o, prune: true), PipelineMode.Select);

        Assert.That(Decoded(pipeline), Is.EqualTo(decoded), "select decodes nothing, not even a pilot");
        Assert.That(selected.Selected!.Select(r => (r.Row, r.Wins, r.AnchorsScored)), Is.EqualTo(full.Selected!.Select(r => (r.Row, r.Wins, r.AnchorsScored))));
        Assert.That(selected.Manifest!.Pruning!.AnchorOrder, Is.EqualTo("file"), "the score ran no pilot, so its pairs are not cached");
        Assert.That(selected.Manifest.Counts.Pruned, Is.GreaterThan(0));
    }

    [Test]
    public void A_sharded_score_of_a_top_k_selection_scores_every_anchor()
    {
        var pipeline = Steered(2, 30);
        var result = pipeline.Run(o => { Top(3, prune: true)(o); o.Shard.Count = 2; }, PipelineMode.Score);

        Assert.That(result.Manifest!.Pruning!.Kind, Is.EqualTo("none"));
        Assert.That(result.Rows.Where(r => r.Status == RowStatus.Scored).Select(r => r.AnchorsScored), Is.All.EqualTo(Anchors));
    }
}
