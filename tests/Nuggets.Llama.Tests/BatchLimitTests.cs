using Nuggets.Core.Scoring;
using Nuggets.Llama.Scoring;

namespace Nuggets.Llama.Tests;

public class BatchLimitTests
{
    [Test]
    public void A_batch_cannot_grow_past_its_capacity()
    {
        using var batch = new TokenBatch(4);
        for (var i = 0; i < 4; i++) batch.Add(1, i, 0, output: false);

        Assert.That(() => batch.Add(1, 4, 0, output: false), Throws.InvalidOperationException.With.Message.Contains("n_batch"));
        Assert.That(batch.Count, Is.EqualTo(4));
    }

    [Test]
    public void Decode_refuses_a_batch_larger_than_n_batch_instead_of_aborting_the_process()
    {
        using var model = LlamaModel.Load(Models.Small());
        using var context = LlamaContext.Create(model, new LlamaContextOptions { ContextLength = 256, BatchSize = 8 });
        using var big = new TokenBatch(16);
        for (var i = 0; i < 9; i++) big.Add(5, i, 0, output: i == 8);

        Assert.That(() => context.Decode(big), Throws.ArgumentException.With.Message.Contains("n_batch (8)"));
        // The process and the context survive: a legal batch still decodes.
        using var legal = context.CreateBatch();
        for (var i = 0; i < 8; i++) legal.Add(5, i, 0, output: i == 7);
        context.Decode(legal);
        Assert.That(context.Logits(7).Length, Is.EqualTo(model.Tokenizer.VocabularySize));
    }

    [Test]
    public void A_pair_longer_than_the_context_skips_its_candidate_with_a_reason_and_the_rest_is_scored()
    {
        using var model = LlamaModel.Load(Models.Small());
        var anchors = Texts.Alpaca(3, 0, 150).Select(r => Texts.Anchor(model.Tokenizer, r)).ToArray();
        var shortCandidate = model.Tokenizer.Tokenize("Instruction:\nSay hi\nResponse:\nhi", addBos: true);
        var longCandidate = model.Tokenizer.Tokenize(string.Concat(Enumerable.Repeat("a long candidate text ", 40)), addBos: true);
        var limit = anchors.Max(a => a.Tokens.Length) + shortCandidate.Length + 5;
        Assert.That(longCandidate.Length + anchors.Max(a => a.Tokens.Length), Is.GreaterThan(limit), "test setup");
        using var limited = new LlamaScoringEngine(model, new ScoringEngineOptions { MaxPairLength = limit });
        using var unlimited = new LlamaScoringEngine(model);
        var all = Enumerable.Range(0, anchors.Length).ToArray();
        PairRequest[] requests = [new(shortCandidate, all), new(longCandidate, all), new(shortCandidate, [2])];

        var results = limited.ScorePairs(anchors, requests);

        Assert.That(results[1].Skipped, Is.True);
        Assert.That(results[1].SkipReason, Does.Contain("exceeds the scoring context").And.Contain(limit.ToString()));
        Assert.That(results[1].Sums, Is.Empty);
        var expected = unlimited.ScorePairs(anchors, [requests[0], requests[2]]);
        Assert.That(results[0].Sums, Is.EqualTo(expected[0].Sums));
        Assert.That(results[2].Sums, Is.EqualTo(expected[1].Sums));
    }

    [Test]
    public void An_anchor_too_long_for_the_context_is_an_error_at_zero_shot_time()
    {
        using var model = LlamaModel.Load(Models.Small());
        var anchor = Texts.Anchor(model.Tokenizer, Texts.Alpaca(1, 0, 200)[0]);
        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { MaxPairLength = anchor.Tokens.Length - 1 });

        Assert.That(() => engine.ScoreZeroShot([anchor], withBos: false), Throws.ArgumentException.With.Message.Contains("exceeds"));
    }
}
