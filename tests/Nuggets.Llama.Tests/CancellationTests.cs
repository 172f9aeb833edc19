using Nuggets.Core.Scoring;
using Nuggets.Llama.Embeddings;
using Nuggets.Llama.Generation;
using Nuggets.Llama.Scoring;

namespace Nuggets.Llama.Tests;

/// <summary>
/// A stop requested before a model call's next decode: scoring returns what it finished (here nothing) without a skip
/// reason, generation and embedding throw, and the engine's next call is as if the stopped one never happened.
/// </summary>
public class CancellationTests
{
    [Test]
    public void A_stopped_scoring_call_returns_no_sums_and_leaves_the_engine_as_it_was()
    {
        var (model, anchors, candidates) = OracleAgreementTests.Setup("stories", anchors: 3, candidates: 2);
        using var _ = model;
        var requests = candidates.Select(c => new PairRequest(c, [0, 1, 2])).ToArray();
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();

        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 });
        var cut = engine.ScorePairs(anchors, requests, stopped.Token);
        Assert.That(cut.Select(r => (r.Sums.Length, r.SkipReason)), Is.All.EqualTo((0, (string?)null)));
        Assert.That(engine.ScoreZeroShot(anchors, withBos: true, stopped.Token), Is.Empty);

        using var fresh = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 });
        var expected = fresh.ScorePairs(anchors, requests);
        var after = engine.ScorePairs(anchors, requests);
        Assert.That(after.SelectMany(r => r.Sums), Is.EqualTo(expected.SelectMany(r => r.Sums)), "bit-identical to an engine that was never stopped");
    }

    [Test]
    public void Stopped_generation_and_embedding_throw_instead_of_returning_a_part()
    {
        using var model = LlamaModel.Load(TestPaths.StoriesModel);
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
            new LlamaGenerator(model).Generate(model.Tokenizer.Tokenize("Once upon a time", addBos: true), SamplingOptions.Greedy, stopped.Token));
        using var embedder = new LlamaEmbedder(model, batchSize: 512);
        Assert.Throws<OperationCanceledException>(() => embedder.Embed(["Once upon a time"], stopped.Token));
        Assert.That(embedder.Embed(["Once upon a time"]), Has.Length.EqualTo(1), "usable after a stopped call");
    }
}
