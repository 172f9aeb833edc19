using Nuggets.Core.Scoring;
using Nuggets.Llama.Scoring;
using Nuggets.Testing.Gguf;

namespace Nuggets.Llama.Tests;

/// <summary>
/// The engine against the independent full-logit oracle (<see cref="ReferenceScorer"/>). The canonical layout
/// promises the very same float32 logits as decoding each pair as one whole sequence, so the only difference left
/// is float64 rounding in the two log-softmax implementations, bounded per pair by the oracle (derived there, not
/// measured). A kernel or cell placement that differed would show as ~1e-7 per token, orders of magnitude above it.
/// </summary>
public class OracleAgreementTests
{
    internal static (LlamaModel Model, AnchorSequence[] Anchors, int[][] Candidates) Setup(string modelName, int anchors = 5, int candidates = 3)
    {
        var model = LlamaModel.Load(Models.Resolve(modelName));
        var a = Texts.Alpaca(anchors, skip: 0, maxChars: 170).Select(r => Texts.Anchor(model.Tokenizer, r)).ToArray();
        var c = Texts.Alpaca(candidates, skip: 50, maxChars: 170).Select(r => Texts.Candidate(model.Tokenizer, r)).ToArray();
        return (model, a, c);
    }

    [TestCaseSource(typeof(ModelCases), nameof(ModelCases.All))]
    public void One_shot_sums_agree_with_the_full_logit_oracle(string modelName)
    {
        var (model, anchors, candidates) = Setup(modelName);
        using var _ = model;
        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 });
        var requests = candidates.Select(c => new PairRequest(c, Enumerable.Range(0, anchors.Length).ToArray())).ToArray();

        var results = engine.ScorePairs(anchors, requests);

        var worst = 0.0;
        for (var c = 0; c < candidates.Length; c++)
        {
            Assert.That(results[c].Skipped, Is.False);
            for (var a = 0; a < anchors.Length; a++)
            {
                var oracle = ReferenceScorer.Score(model, candidates[c], anchors[a]);
                var actual = results[c].Sums[a];
                Assert.That(actual.Count, Is.EqualTo(anchors[a].ResponseLength));
                Assert.That(actual.Count, Is.EqualTo(oracle.Sum.Count));
                Assert.That(Math.Abs(actual.Sum - oracle.Sum.Sum), Is.LessThanOrEqualTo(oracle.Bound), $"candidate {c}, anchor {a}");
                worst = Math.Max(worst, Math.Abs(actual.Sum - oracle.Sum.Sum));
            }
        }
        // The scores must depend on the prefix, or the comparison above proves nothing about the shared cells.
        Assert.That(results[0].Sums[0].Sum, Is.Not.EqualTo(results[1].Sums[0].Sum).Within(1e-3));
        TestContext.Out.WriteLine($"max |engine - oracle| = {worst:E2}");
    }

    [TestCaseSource(typeof(ModelCases), nameof(ModelCases.All))]
    public void Zero_shot_sums_agree_with_the_oracle_under_both_bos_policies(string modelName)
    {
        var (model, anchors, _) = Setup(modelName, anchors: 6, candidates: 0);
        using var _ = model;
        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 });

        var reference = engine.ScoreZeroShot(anchors, withBos: false);
        var symmetric = engine.ScoreZeroShot(anchors, withBos: true);

        for (var a = 0; a < anchors.Length; a++)
        {
            var expectedReference = ReferenceScorer.Score(model, [], anchors[a]);
            var expectedSymmetric = ReferenceScorer.Score(model, [model.Tokenizer.Bos], anchors[a]);
            Assert.That(Math.Abs(reference[a].Sum - expectedReference.Sum.Sum), Is.LessThanOrEqualTo(expectedReference.Bound), $"anchor {a}, reference");
            Assert.That(Math.Abs(symmetric[a].Sum - expectedSymmetric.Sum.Sum), Is.LessThanOrEqualTo(expectedSymmetric.Bound), $"anchor {a}, symmetric");
            Assert.That(reference[a].Count, Is.EqualTo(anchors[a].ResponseLength));
        }
    }

    [Test]
    public void A_pair_longer_than_one_slice_agrees_with_the_oracle()
    {
        // A candidate of one slice + 1 tokens is cut 511 + 2 (never a one-token slice); the oracle decodes it whole.
        var spec = Models.SmallSpec(GgufTensorType.F32) with { ContextLength = 2048 };
        var path = Path.Combine(TestPaths.NewTempDirectory("long"), "long.gguf");
        RandomLlamaModel.Write(path, spec);
        using var model = LlamaModel.Load(path);
        var anchor = Texts.Anchor(model.Tokenizer, Texts.Alpaca(1, 0, 170)[0]);
        var candidate = model.Tokenizer.Tokenize(string.Concat(Enumerable.Repeat("a long candidate text with words ", 200)), addBos: true)[..(CanonicalLayout.SliceTokens + 1)];
        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 });

        var actual = engine.ScorePairs([anchor], [new PairRequest(candidate, [0])])[0].Sums[0];

        var oracle = ReferenceScorer.Score(model, candidate, anchor);
        Assert.That(Math.Abs(actual.Sum - oracle.Sum.Sum), Is.LessThanOrEqualTo(oracle.Bound));
        Assert.That(engine.Statistics.DecodeCalls, Is.EqualTo(3), "two slices of the candidate, one of the anchor");
    }

    [Test]
    public void An_anchor_whose_response_starts_at_token_zero_is_predicted_by_the_candidates_last_token()
    {
        using var model = LlamaModel.Load(Models.Small());
        var tokens = model.Tokenizer.Tokenize(" the cat sat on the mat", addBos: false);
        var anchor = new AnchorSequence(tokens, 0);
        var candidate = model.Tokenizer.Tokenize("Once upon a time", addBos: true);
        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 });

        var result = engine.ScorePairs([anchor], [new PairRequest(candidate, [0])])[0].Sums[0];

        var oracle = ReferenceScorer.Score(model, candidate, anchor);
        Assert.That(result.Count, Is.EqualTo(tokens.Length));
        Assert.That(Math.Abs(result.Sum - oracle.Sum.Sum), Is.LessThanOrEqualTo(oracle.Bound));
        Assert.That(() => engine.ScoreZeroShot([anchor], withBos: false),
            Throws.ArgumentException.With.Message.Contains("ResponseStart 0"));
        Assert.That(engine.ScoreZeroShot([anchor], withBos: true)[0].Count, Is.EqualTo(tokens.Length));
    }

    [Test]
    public void A_model_whose_tokenizer_adds_no_bos_gets_none_under_either_policy()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("no-bos"), "no-bos.gguf");
        RandomLlamaModel.Write(path, Models.SmallSpec(GgufTensorType.F32) with { AddBos = false });
        using var model = LlamaModel.Load(path);
        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 });
        Assert.That(model.Tokenizer.AddsBos, Is.False);

        var candidate = engine.Tokenize("Instruction:\nSay hi.\nResponse:\nhi", addBos: true);
        Assert.That(candidate[0], Is.Not.EqualTo(model.Tokenizer.Bos), "the tokenizer adds no BOS, as the model's own tokenizer would not");
        var prompt = engine.Tokenize("Instruction:\nName a colour.\nResponse:\n", addBos: false);
        var full = engine.Tokenize("Instruction:\nName a colour.\nResponse:\nBlue, the colour of the sky.", addBos: false);
        AnchorSequence[] anchors = [new(full, prompt.Length)];
        Assert.That(engine.ScoreZeroShot(anchors, withBos: true)[0].Sum, Is.EqualTo(engine.ScoreZeroShot(anchors, withBos: false)[0].Sum),
            "the symmetric policy puts before anchors what candidates get: nothing");
    }
}
