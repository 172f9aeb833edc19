using Nuggets.Core.Configuration;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Tests.Fakes;

namespace Nuggets.Core.Tests;

/// <summary>What the fake engine's comments say about its win rate, measured, so tests that lean on it stay honest.</summary>
public sealed class FakeEngineTests
{
    private static double WinRate(int rows, int anchors, out long wins, out long pairs)
    {
        var pipeline = new FakePipeline();
        pipeline.Files["data"] = FakePipeline.Examples(rows);
        pipeline.Files["anchors"] = FakePipeline.Examples(anchors, offset: 10_000);
        var result = pipeline.Run(o =>
        {
            o.Anchors.Method = AnchorMethod.File;
            o.Anchors.Path = Path.GetFullPath("anchors");
            o.Selection.Prune = false;
        });
        var scored = result.Rows.Where(r => r.Status == RowStatus.Scored).ToArray();
        (wins, pairs) = (scored.Sum(r => (long)r.Wins), scored.Sum(r => (long)r.AnchorsScored));
        TestContext.Out.WriteLine($"{rows} rows × {anchors} anchors: {wins} wins of {pairs} pairs ({(double)wins / pairs:P1})");
        return (double)wins / pairs;
    }

    [Test]
    public void The_orchestration_fixture_wins_82_percent_of_its_pairs()
    {
        // The sums are hashes, so the count is exact: PipelineOrchestrationTests' 120 rows × 20 anchors.
        WinRate(120, 20, out var wins, out var pairs);
        Assert.That((wins, pairs), Is.EqualTo((1973L, 2400L)));
    }

    [Test]
    public void Over_many_anchors_the_fake_engine_wins_seven_pairs_in_eight()
    {
        // 400 anchors: the spread between anchors' rates (0.16) shrinks to 0.008, so ±0.03 is more than three of it.
        Assert.That(WinRate(20, 400, out _, out _), Is.EqualTo(7 / 8.0).Within(0.03));
    }
}
