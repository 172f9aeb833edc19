using Nuggets.Core.Configuration;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Scoring;
using Nuggets.Core.Tests.Fakes;

namespace Nuggets.Core.Tests;

/// <summary>
/// A run stopped through <see cref="RunStop"/>: the publish point, and work finished inside a model call that the stop
/// cut short. Signals themselves are tested end to end, through the real tool, in Nuggets.Cli.Tests (SignalTests).
/// </summary>
public sealed class StopTests
{
    [Test]
    public void A_stop_before_the_publish_point_publishes_nothing()
    {
        using var stop = new RunStop();
        Assert.That(stop.Request(), Is.True, "before the publish point");
        var published = false;
        Assert.Throws<OperationCanceledException>(() => stop.Publish(() => published = true));
        Assert.That(published, Is.False);
    }

    [Test]
    public void A_stop_during_the_publish_lets_it_finish_and_says_it_came_too_late()
    {
        using var stop = new RunStop();
        bool? beforePublish = null;
        stop.Publish(() => beforePublish = stop.Request());
        Assert.That(beforePublish, Is.False);
        Assert.That((stop.Requested, stop.PastPublishPoint, stop.Token.IsCancellationRequested), Is.EqualTo((true, true, true)));
        stop.OutsidePublish(published => Assert.That(published, Is.True));
    }

    [Test]
    public void A_stop_during_a_scoring_call_commits_the_pairs_it_finished_and_a_rerun_reuses_them()
    {
        var pipeline = new FakePipeline();
        pipeline.Files["data"] = FakePipeline.Examples(12);
        pipeline.Files["anchors"] = FakePipeline.Examples(4, offset: 10_000);
        void Configure(Configuration.NuggetsOptions o)
        {
            o.Anchors.Method = AnchorMethod.File;
            o.Anchors.Path = Path.GetFullPath("anchors");
            o.Selection.Prune = false;
            o.Cache.CommitPairs = 8; // two candidates × four anchors per commit; each engine call holds one candidate
        }
        var whole = new FakePipeline { Files = { ["data"] = pipeline.Files["data"], ["anchors"] = pipeline.Files["anchors"] } }.Run(Configure);

        using var stop = new RunStop();
        var engine = new StopsInSecondCall(pipeline.Engine, stop);
        pipeline.EngineOverride = engine;
        var stopped = Assert.Throws<RunStoppedException>(() => pipeline.Run(Configure, stop: stop))!;

        Assert.That(stopped.Phase, Is.EqualTo("scoring"));
        Assert.That(engine.Returned, Is.EqualTo(4 + 3), "the second call was cut short after three of its four pairs");
        Assert.That(pipeline.Cache.Pairs, Has.Count.EqualTo(7), "the first call's pairs and the three finished ones are committed");
        Assert.That(stopped.Committed, Is.EqualTo(new CommittedWork(4, 7, 0, 0)));
        Assert.That(pipeline.Writer.Written, Is.Empty, "nothing is written once a stop is requested");

        pipeline.EngineOverride = null;
        var rerun = pipeline.Run(Configure);
        Assert.That(rerun.Manifest!.Counts.PairsFromCache, Is.EqualTo(7));
        Assert.That(rerun.Manifest.Counts.PairsDecoded, Is.EqualTo(whole.Manifest!.Counts.PairsDecoded - 7));
        Assert.That(rerun.Selected!.Select(r => (r.Row, r.Wins)), Is.EqualTo(whole.Selected!.Select(r => (r.Row, r.Wins))));
    }

    /// <summary>The fake engine, except that its second pairs call asks for a stop and returns only its first three sums, as the real one does.</summary>
    private sealed class StopsInSecondCall(FakeEngine inner, RunStop stop) : IScoringEngine
    {
        private int calls;

        public int Returned { get; private set; }
        public int BosToken => inner.BosToken;
        public int ContextLength => inner.ContextLength;
        public int[] Tokenize(string text, bool addBos) => inner.Tokenize(text, addBos);

        public LogProbSum[] ScoreZeroShot(IReadOnlyList<AnchorSequence> anchors, bool withBos, CancellationToken cancellation = default) =>
            inner.ScoreZeroShot(anchors, withBos, cancellation);

        public IReadOnlyList<PairResult> ScorePairs(IReadOnlyList<AnchorSequence> anchors, IReadOnlyList<PairRequest> requests, CancellationToken cancellation = default)
        {
            var results = inner.ScorePairs(anchors, requests, cancellation);
            if (++calls == 2)
            {
                stop.Request();
                var left = 3;
                results = results.Select(r =>
                {
                    var kept = Math.Min(left, r.Sums.Length);
                    left -= kept;
                    return new PairResult(r.Sums[..kept], null);
                }).ToArray();
            }
            Returned += results.Sum(r => r.Sums.Length);
            return results;
        }

        public void SetThreads(int threads) => inner.SetThreads(threads);

        public void Dispose() { }
    }
}
