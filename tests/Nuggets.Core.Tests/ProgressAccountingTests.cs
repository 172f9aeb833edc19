using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Tests.Fakes;

namespace Nuggets.Core.Tests;

/// <summary>
/// The bookkeeping behind the progress total, on the fake engine (pure logic; the real tool's stream is tested in
/// Nuggets.Cli.Tests): whatever pruning, duplicates, anchors among the rows, skipped rows, shards or the cache do,
/// the stated total only shrinks and ends equal to what was decoded, and every row ends decided.
/// </summary>
public sealed class ProgressAccountingTests
{
    private sealed class Recorder : IProgress<PipelineProgress>
    {
        public List<PipelineProgress> Reports { get; } = [];
        public void Report(PipelineProgress value) => Reports.Add(value);
    }

    private static FakePipeline WithData(int rows, int anchors)
    {
        var pipeline = new FakePipeline();
        pipeline.Files["data"] = FakePipeline.Examples(rows);
        pipeline.Files["anchors"] = FakePipeline.Examples(anchors, offset: 10_000);
        return pipeline;
    }

    private static Action<NuggetsOptions> Settings(bool prune, double threshold = 0.7, Action<NuggetsOptions>? more = null) => o =>
    {
        o.Anchors.Method = AnchorMethod.File;
        o.Anchors.Path = Path.GetFullPath("anchors");
        o.Selection.Prune = prune;
        o.Selection.Threshold = threshold;
        more?.Invoke(o);
    };

    private static List<PipelineProgress> Run(FakePipeline pipeline, Action<NuggetsOptions> settings, PipelineMode mode = PipelineMode.Run)
    {
        var recorder = new Recorder();
        pipeline.Run(settings, mode, progress: recorder);
        return recorder.Reports;
    }

    private static void AssertTruthful(List<PipelineProgress> reports, FakePipeline pipeline, long decodedBefore)
    {
        var stated = reports.Where(r => r.PairsTotal is not null).ToList();
        Assert.That(stated.Select(r => r.PairsTotal), Is.Ordered.Descending, "once stated, the total only shrinks");
        Assert.That(stated.All(r => r.PairsDecoded <= r.PairsTotal), Is.True, "never more decoded than the total");
        Assert.That(reports.Select(r => r.RowsDone), Is.Ordered.Ascending);
        Assert.That(reports.Select(r => r.PairsDecoded), Is.Ordered.Ascending);
        var last = reports[^1];
        Assert.That(last.Finished, Is.True);
        Assert.That(last.RowsDone, Is.EqualTo(last.RowsTotal), "every row is decided");
        Assert.That(last.PairsDecoded, Is.EqualTo(last.PairsTotal), "the total ends at what was decoded");
        Assert.That(last.PairsCommitted, Is.EqualTo(last.PairsDecoded));
        Assert.That(last.PairsDecoded, Is.EqualTo(pipeline.Engine.PairsScored + pipeline.Engine.ZeroShotScored - decodedBefore), "and that is what the engine decoded");
    }

    [TestCase(false, 0.7)]
    [TestCase(true, 0.7)]
    [TestCase(true, 0.85)]
    [TestCase(true, 1.0)] // nothing can be selected: every candidate is decided before its first anchor
    public void The_total_ends_at_what_was_decoded_through_duplicates_anchor_rows_and_skipped_rows(bool prune, double threshold)
    {
        var pipeline = WithData(40, 6);
        var data = pipeline.Files["data"];
        data[1] = data[0] with { Row = 1 };                           // the same candidate twice in one chunk
        data.Add(data[3] with { Row = 40 });                          // and in a later chunk
        data.Add(pipeline.Files["anchors"][0] with { Row = 41 });     // an anchor among the rows
        data.Add(new Example(42, "long", "", new string('x', 5000))); // too long: skipped
        var reports = Run(pipeline, Settings(prune, threshold));

        AssertTruthful(reports, pipeline, 0);
        if (!prune)
            Assert.That(reports.First(r => r.PairsTotal is not null).PairsTotal, Is.EqualTo(39 * 6 + 6), "39 distinct candidates and 6 zero-shot sums");
    }

    [Test]
    public void A_rerun_the_cache_covers_states_a_total_of_zero_and_a_partly_cached_one_only_what_is_new()
    {
        var pipeline = WithData(30, 5);
        Run(pipeline, Settings(prune: true));
        var decoded = pipeline.Engine.PairsScored + pipeline.Engine.ZeroShotScored;

        var warm = Run(pipeline, Settings(prune: true));
        Assert.That(warm.Where(r => r.PairsTotal is not null).Select(r => r.PairsTotal).Distinct(), Is.EqualTo(new long?[] { 0 }));
        AssertTruthful(warm, pipeline, decoded);

        pipeline.Files["data"].AddRange(FakePipeline.Examples(7, offset: 500).Select((e, i) => e with { Row = 30 + i }));
        var grown = Run(pipeline, Settings(prune: false));
        AssertTruthful(grown, pipeline, decoded);
        Assert.That(grown[^1].PairsFromCache, Is.GreaterThan(0));
    }

    [Test]
    public void Each_shard_states_only_its_own_pairs()
    {
        var pipeline = WithData(40, 4);
        long before = 0;
        for (var index = 0; index < 3; index++)
        {
            var reports = Run(pipeline, Settings(prune: false, more: o => { o.Shard.Index = index; o.Shard.Count = 3; }), PipelineMode.Score);
            AssertTruthful(reports, pipeline, before);
            before = pipeline.Engine.PairsScored + pipeline.Engine.ZeroShotScored;
        }
    }
}
