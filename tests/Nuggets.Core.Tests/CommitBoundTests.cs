using Nuggets.Core.Configuration;
using Nuggets.Core.Tests.Fakes;

namespace Nuggets.Core.Tests;

/// <summary>
/// README.md promises that <c>cache.commitPairs</c> is the most a killed run can lose: no commit holds more pairs than
/// that, even when it does not divide a candidate's pairs, and where the commits fall never changes a score.
/// </summary>
public sealed class CommitBoundTests
{
    private static FakePipeline WithData()
    {
        var pipeline = new FakePipeline();
        pipeline.Files["data"] = FakePipeline.Examples(23);
        pipeline.Files["anchors"] = FakePipeline.Examples(7, offset: 10_000);
        return pipeline;
    }

    private static void Configure(NuggetsOptions o, int commitPairs, bool prune)
    {
        o.Anchors.Method = AnchorMethod.File;
        o.Anchors.Path = Path.GetFullPath("anchors");
        o.Selection.Threshold = 0.8;
        o.Selection.Prune = prune;
        o.Cache.CommitPairs = commitPairs;
    }

    // 7 anchors a candidate: 3 and 5 split candidates over commits, 1 commits every pair, 7 and 14 hold whole ones.
    [TestCase(1, false)]
    [TestCase(3, false)]
    [TestCase(5, false)]
    [TestCase(7, false)]
    [TestCase(14, false)]
    [TestCase(3, true)]
    [TestCase(5, true)]
    public void No_commit_holds_more_than_commit_pairs_and_the_scores_do_not_change(int commitPairs, bool prune)
    {
        var reference = WithData().Run(o => Configure(o, 1_000_000, prune));
        var split = WithData();
        var result = split.Run(o => Configure(o, commitPairs, prune));

        Assert.That(split.Cache.PairCommits, Is.Not.Empty);
        Assert.That(split.Cache.PairCommits, Is.All.LessThanOrEqualTo(commitPairs), "a killed run loses at most cache.commitPairs pairs");
        Assert.That(split.Cache.PairCommits.Sum(), Is.EqualTo(result.Manifest!.Counts.PairsDecoded), "every decoded pair is committed once");
        Assert.That(result.Rows, Is.EqualTo(reference.Rows), "commit boundaries never change a score");
        Assert.That(result.Selected, Is.EqualTo(reference.Selected));
        Assert.That(result.Manifest.Counts.PairsDecoded, Is.EqualTo(reference.Manifest!.Counts.PairsDecoded), "splitting a candidate decodes no pair twice");
    }

    [Test]
    public void Without_pruning_every_commit_but_the_last_of_a_chunk_is_full()
    {
        // 5 candidates a chunk (FakePipeline) × 7 anchors = 35 pairs: commits of 3 are 11 full ones and one of 2 per chunk.
        var pipeline = WithData();
        pipeline.Run(o => Configure(o, 3, prune: false));
        var perChunk = new[] { 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2 };
        var lastChunk = Enumerable.Repeat(3, 7).ToArray(); // 3 candidates × 7 = 21 pairs
        Assert.That(pipeline.Cache.PairCommits, Is.EqualTo(Enumerable.Repeat(perChunk, 4).SelectMany(c => c).Concat(lastChunk)));
    }
}
