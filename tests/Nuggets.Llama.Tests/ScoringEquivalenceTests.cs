using Nuggets.Core.Scoring;
using Nuggets.Llama.Scoring;
using Nuggets.Testing.Gguf;

namespace Nuggets.Llama.Tests;

public class ScoringEquivalenceTests
{
    private const double Tolerance = 1e-5;

    private static (LlamaModel Model, AnchorSequence[] Anchors, int[][] Candidates) Setup(string modelName, int anchors = 5, int candidates = 3)
    {
        var model = LlamaModel.Load(Models.Resolve(modelName));
        var a = Texts.Alpaca(anchors, skip: 0, maxChars: 170).Select(r => Texts.Anchor(model.Tokenizer, r)).ToArray();
        var c = Texts.Alpaca(candidates, skip: 50, maxChars: 170).Select(r => Texts.Candidate(model.Tokenizer, r)).ToArray();
        return (model, a, c);
    }

    [TestCaseSource(typeof(Models), nameof(Models.F32Models))]
    public void Shared_prefix_sums_equal_single_sequence_full_logit_sums(string modelName, double tolerance)
    {
        var (model, anchors, candidates) = Setup(modelName);
        using var _ = model;
        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { BatchSize = 256 });
        var requests = candidates.Select(c => new PairRequest(c, Enumerable.Range(0, anchors.Length).ToArray())).ToArray();

        var results = engine.ScorePairs(anchors, requests);

        var worst = 0.0;
        for (var c = 0; c < candidates.Length; c++)
        {
            Assert.That(results[c].Skipped, Is.False);
            for (var a = 0; a < anchors.Length; a++)
            {
                var expected = ReferenceScorer.Score(model, candidates[c], anchors[a]);
                var actual = results[c].Sums[a];
                Assert.That(actual.Count, Is.EqualTo(anchors[a].ResponseLength));
                Assert.That(actual.Count, Is.EqualTo(expected.Count));
                Assert.That(actual.Sum, Is.EqualTo(expected.Sum).Within(tolerance), $"candidate {c}, anchor {a}");
                worst = Math.Max(worst, Math.Abs(actual.Sum - expected.Sum));
            }
        }
        // The scores must depend on the prefix, or the comparison above proves nothing about the shared cells.
        Assert.That(results[0].Sums[0].Sum, Is.Not.EqualTo(results[1].Sums[0].Sum).Within(1e-3));
        TestContext.Out.WriteLine($"max |Δ| = {worst:E2}");
    }

    [TestCaseSource(typeof(Models), nameof(Models.F32Models))]
    public void Zero_shot_sums_equal_single_sequence_sums_under_both_bos_policies(string modelName, double tolerance)
    {
        var (model, anchors, _) = Setup(modelName, anchors: 6, candidates: 0);
        using var _ = model;
        using var engine = new LlamaScoringEngine(model);

        var reference = engine.ScoreZeroShot(anchors, withBos: false);
        var symmetric = engine.ScoreZeroShot(anchors, withBos: true);

        for (var a = 0; a < anchors.Length; a++)
        {
            var expectedReference = ReferenceScorer.Score(model, [], anchors[a]);
            var expectedSymmetric = ReferenceScorer.Score(model, [model.Tokenizer.Bos], anchors[a]);
            Assert.That(reference[a].Sum, Is.EqualTo(expectedReference.Sum).Within(tolerance));
            Assert.That(symmetric[a].Sum, Is.EqualTo(expectedSymmetric.Sum).Within(tolerance));
            Assert.That(reference[a].Count, Is.EqualTo(anchors[a].ResponseLength));
        }
    }

    [Test]
    public void A_model_whose_tokenizer_adds_no_bos_gets_none_under_either_policy()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("no-bos"), "no-bos.gguf");
        RandomLlamaModel.Write(path, Models.SmallSpec(GgufTensorType.F32) with { AddBos = false });
        using var model = LlamaModel.Load(path);
        using var engine = new LlamaScoringEngine(model);
        Assert.That(model.Tokenizer.AddsBos, Is.False);

        var candidate = engine.Tokenize("Instruction:\nSay hi.\nResponse:\nhi", addBos: true);
        Assert.That(candidate[0], Is.Not.EqualTo(model.Tokenizer.Bos), "the tokenizer adds no BOS, as the model's own tokenizer would not");
        var prompt = engine.Tokenize("Instruction:\nName a colour.\nResponse:\n", addBos: false);
        var full = engine.Tokenize("Instruction:\nName a colour.\nResponse:\nBlue, the colour of the sky.", addBos: false);
        AnchorSequence[] anchors = [new(full, prompt.Length)];
        Assert.That(engine.ScoreZeroShot(anchors, withBos: true)[0].Sum, Is.EqualTo(engine.ScoreZeroShot(anchors, withBos: false)[0].Sum),
            "the symmetric policy puts before anchors what candidates get: nothing");
    }

    [TestCaseSource(typeof(Models), nameof(Models.F32Models))]
    public void Sums_are_identical_whatever_the_batch_size(string modelName, double tolerance)
    {
        var (model, anchors, candidates) = Setup(modelName, anchors: 4, candidates: 3);
        using var _ = model;
        var requests = candidates.Select(c => new PairRequest(c, [3, 0, 2, 1])).ToArray();

        IReadOnlyList<PairResult> Run(int batchSize, int maxSequences)
        {
            using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { BatchSize = batchSize, MaxSequences = maxSequences });
            return engine.ScorePairs(anchors, requests);
        }
        LogProbSum[] ZeroShot(int batchSize)
        {
            using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { BatchSize = batchSize });
            return engine.ScoreZeroShot(anchors, withBos: false);
        }

        // 512: several candidates and all their anchors per batch; 37: anchors split across decodes;
        // 2 sequences: one anchor at a time.
        var wide = Run(512, 64);
        var narrow = Run(37, 64);
        var serial = Run(64, 2);
        for (var c = 0; c < requests.Length; c++)
        {
            Assert.That(narrow[c].Sums, Is.EqualTo(wide[c].Sums).Using<LogProbSum>((x, y) => Close(x, y, tolerance)), $"candidate {c}, n_batch 37");
            Assert.That(serial[c].Sums, Is.EqualTo(wide[c].Sums).Using<LogProbSum>((x, y) => Close(x, y, tolerance)), $"candidate {c}, 2 sequences");
        }
        Assert.That(ZeroShot(23), Is.EqualTo(ZeroShot(512)).Using<LogProbSum>((x, y) => Close(x, y, tolerance)));
    }

    [TestCaseSource(typeof(Models), nameof(Models.F32Models))]
    public void Shared_prefix_equals_decoding_every_pair_as_its_own_sequence(string modelName, double tolerance)
    {
        var (model, anchors, candidates) = Setup(modelName, anchors: 4, candidates: 3);
        using var _ = model;
        var requests = candidates.Select(c => new PairRequest(c, [0, 1, 2, 3])).ToArray();
        using var shared = new LlamaScoringEngine(model);
        using var naive = new LlamaScoringEngine(model, new ScoringEngineOptions { SharePrefix = false });

        var a = shared.ScorePairs(anchors, requests);
        var b = naive.ScorePairs(anchors, requests);

        for (var c = 0; c < requests.Length; c++)
            Assert.That(a[c].Sums, Is.EqualTo(b[c].Sums).Using<LogProbSum>((x, y) => Close(x, y, tolerance)));
        Assert.That(shared.Statistics.TokensDecoded, Is.LessThan(naive.Statistics.TokensDecoded),
            "sharing must decode each candidate once, not once per anchor");
    }

    [Test]
    public void An_anchor_whose_response_starts_at_token_zero_is_predicted_by_the_candidates_last_token()
    {
        using var model = LlamaModel.Load(Models.Small());
        var tokens = model.Tokenizer.Tokenize(" the cat sat on the mat", addBos: false);
        var anchor = new AnchorSequence(tokens, 0);
        var candidate = model.Tokenizer.Tokenize("Once upon a time", addBos: true);
        using var engine = new LlamaScoringEngine(model);

        var result = engine.ScorePairs([anchor], [new PairRequest(candidate, [0])])[0].Sums[0];

        var expected = ReferenceScorer.Score(model, candidate, anchor);
        Assert.That(result.Count, Is.EqualTo(tokens.Length));
        Assert.That(result.Sum, Is.EqualTo(expected.Sum).Within(Tolerance));
        Assert.That(() => engine.ScoreZeroShot([anchor], withBos: false),
            Throws.ArgumentException.With.Message.Contains("ResponseStart 0"));
        Assert.That(engine.ScoreZeroShot([anchor], withBos: true)[0].Count, Is.EqualTo(tokens.Length));
    }

    private static bool Close(LogProbSum x, LogProbSum y, double tolerance) => x.Count == y.Count && Math.Abs(x.Sum - y.Sum) <= tolerance;
}
