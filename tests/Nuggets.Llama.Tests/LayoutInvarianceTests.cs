using Nuggets.Core.Scoring;
using Nuggets.Llama.Scoring;

namespace Nuggets.Llama.Tests;

/// <summary>
/// A pair's sum is a pure function of its tokens (docs/exactness.md): the same pairs scored under many random
/// layouts give bit-identical sums, compared with <c>==</c>. A layout varies what the pipeline can vary: which
/// candidates share a call (shards, batches), which of a candidate's anchors are asked for and in what order
/// (pruning, a warm cache supplying the rest), the anchor list's order, the thread count, prefix sharing, and the
/// context size (a long candidate in the same call grows it); and the thread count changed on a live engine, as
/// <c>model.threads: auto</c> does when it follows the load.
/// </summary>
public class LayoutInvarianceTests
{
    private const int Layouts = 8;

    [TestCaseSource(typeof(ModelCases), nameof(ModelCases.All))]
    public void Every_pair_sum_is_bit_identical_under_random_layouts(string modelName)
    {
        var (model, anchors, candidates) = OracleAgreementTests.Setup(modelName, anchors: 6, candidates: 5);
        using var _ = model;
        var longCandidate = model.Tokenizer.Tokenize(string.Concat(Enumerable.Repeat("Once upon a time a long story went on. ", 40)), addBos: true);
        longCandidate = longCandidate[..Math.Min(longCandidate.Length, 700)];

        // The canonical values: each candidate alone, its anchors in order, one thread.
        var canonical = new Dictionary<(int Candidate, int Anchor), LogProbSum>();
        using (var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 }))
        {
            for (var c = 0; c < candidates.Length; c++)
            {
                var sums = engine.ScorePairs(anchors, [new PairRequest(candidates[c], Enumerable.Range(0, anchors.Length).ToArray())])[0].Sums;
                for (var a = 0; a < anchors.Length; a++) canonical[(c, a)] = sums[a];
            }
        }

        var compared = 0;
        for (var layout = 0; layout < Layouts; layout++)
        {
            var random = new Random(1000 + layout);
            var options = new ScoringEngineOptions { Threads = random.Next(1, 3), SharePrefix = random.Next(4) != 0 };
            var anchorOrder = Shuffle(Enumerable.Range(0, anchors.Length).ToArray(), random);
            var shuffledAnchors = anchorOrder.Select(i => anchors[i]).ToArray();
            var positionOf = new int[anchors.Length];
            for (var i = 0; i < anchorOrder.Length; i++) positionOf[anchorOrder[i]] = i;

            // Every candidate, with a random non-empty subset of its anchors in random order, split into random calls.
            var work = Shuffle(Enumerable.Range(0, candidates.Length).ToArray(), random)
                .Select(c => (Candidate: c, Anchors: Shuffle(Enumerable.Range(0, anchors.Length).ToArray(), random).Take(random.Next(1, anchors.Length + 1)).ToArray()))
                .ToList();
            using var engine = new LlamaScoringEngine(model, options);
            var next = 0;
            while (next < work.Count)
            {
                var take = random.Next(1, work.Count - next + 1);
                var slice = work.Skip(next).Take(take).ToList();
                next += take;
                var requests = slice.Select(w => new PairRequest(candidates[w.Candidate], w.Anchors.Select(a => positionOf[a]).ToArray())).ToList();
                if (random.Next(2) == 0) requests.Insert(random.Next(requests.Count + 1), new PairRequest(longCandidate, [0, anchors.Length - 1]));
                var results = engine.ScorePairs(shuffledAnchors, requests);

                var r = 0;
                foreach (var request in requests)
                {
                    var result = results[r++];
                    if (ReferenceEquals(request.Candidate, longCandidate)) continue;
                    var w = slice.Single(s => ReferenceEquals(candidates[s.Candidate], request.Candidate));
                    for (var i = 0; i < w.Anchors.Length; i++)
                    {
                        var expected = canonical[(w.Candidate, w.Anchors[i])];
                        Assert.That(result.Sums[i] == expected, Is.True,
                            $"layout {layout} ({options}), candidate {w.Candidate}, anchor {w.Anchors[i]}: {result.Sums[i].Sum:R} != {expected.Sum:R}");
                        compared++;
                    }
                }
            }
        }
        TestContext.Out.WriteLine($"{compared} pair sums compared with ==, all identical");
    }

    [TestCaseSource(typeof(ModelCases), nameof(ModelCases.All))]
    public void Zero_shot_sums_are_bit_identical_whatever_else_is_in_the_call(string modelName)
    {
        var (model, anchors, _) = OracleAgreementTests.Setup(modelName, anchors: 6, candidates: 0);
        using var _ = model;
        foreach (var withBos in new[] { false, true })
        {
            LogProbSum[] all;
            using (var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 })) all = engine.ScoreZeroShot(anchors, withBos);
            using var other = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 2 });
            for (var a = 0; a < anchors.Length; a++)
            {
                var alone = other.ScoreZeroShot([anchors[a]], withBos)[0];
                var reversed = other.ScoreZeroShot(anchors.Reverse().ToArray(), withBos)[anchors.Length - 1 - a];
                Assert.That(alone == all[a] && reversed == all[a], Is.True, $"anchor {a}, BOS {withBos}");
            }
        }
    }

    [TestCaseSource(typeof(ModelCases), nameof(ModelCases.All))]
    public void Sums_stay_bit_identical_when_one_engine_changes_its_thread_count_between_calls(string modelName)
    {
        // What model.threads: auto does mid-run: llama_set_n_threads on the live context between two calls.
        var (model, anchors, candidates) = OracleAgreementTests.Setup(modelName, anchors: 4, candidates: 4);
        using var _ = model;
        var all = Enumerable.Range(0, anchors.Length).ToArray();
        LogProbSum[][] expected;
        LogProbSum[] expectedZero;
        using (var fixedEngine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 }))
        {
            expectedZero = fixedEngine.ScoreZeroShot(anchors, withBos: false);
            expected = candidates.Select(c => fixedEngine.ScorePairs(anchors, [new PairRequest(c, all)])[0].Sums).ToArray();
        }

        using (var context = LlamaContext.Create(model, new LlamaContextOptions { ContextLength = 64, BatchSize = 16, Threads = 1 }))
        {
            context.SetThreads(2);
            Assert.That((context.Threads, context.BatchThreads), Is.EqualTo((2, 2)), "llama.cpp holds the new count for both kinds of decode");
        }

        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 });
        int[] counts = [2, 1, 2, 1, 2];
        engine.SetThreads(counts[0]);
        var zero = engine.ScoreZeroShot(anchors, withBos: false);
        for (var a = 0; a < anchors.Length; a++) Assert.That(zero[a] == expectedZero[a], Is.True, $"zero-shot anchor {a}");
        for (var c = 0; c < candidates.Length; c++)
        {
            engine.SetThreads(counts[c + 1]);
            Assert.That(engine.Threads, Is.EqualTo(counts[c + 1]));
            var sums = engine.ScorePairs(anchors, [new PairRequest(candidates[c], all)])[0].Sums;
            for (var a = 0; a < anchors.Length; a++)
                Assert.That(sums[a] == expected[c][a], Is.True, $"candidate {c} on {counts[c + 1]} threads, anchor {a}: {sums[a].Sum:R} != {expected[c][a].Sum:R}");
        }
    }

    [TestCaseSource(typeof(ModelCases), nameof(ModelCases.All))]
    public void A_candidate_asked_for_a_block_of_anchors_per_call_keeps_its_prefix_and_gets_the_sums_of_one_call(string modelName)
    {
        // What pruning does: one candidate's anchors a block at a time, the prefix left resident between the calls,
        // and another candidate or a zero-shot call in between, which must put the first one's prefix out.
        var (model, anchors, candidates) = OracleAgreementTests.Setup(modelName, anchors: 6, candidates: 2);
        using var _ = model;
        var all = Enumerable.Range(0, anchors.Length).ToArray();
        LogProbSum[] expected;
        long tokensOfOneCall;
        using (var single = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 }))
        {
            expected = single.ScorePairs(anchors, [new PairRequest(candidates[0], all)])[0].Sums;
            tokensOfOneCall = single.Statistics.TokensDecoded;
        }

        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 2 });
        var sums = new LogProbSum[anchors.Length];
        void Block(params int[] block)
        {
            var result = engine.ScorePairs(anchors, [new PairRequest(candidates[0], block)])[0].Sums;
            for (var i = 0; i < block.Length; i++) sums[block[i]] = result[i];
        }
        Block(0, 1);
        Block(2);
        Block(3);
        Assert.That(engine.Statistics.TokensDecoded, Is.EqualTo(tokensOfOneCall - anchors[4..].Sum(a => a.Tokens.Length)),
            "consecutive calls for one candidate decode its prefix once");
        engine.ScorePairs(anchors, [new PairRequest(candidates[1], [0])]);
        Block(4);
        engine.ScoreZeroShot([anchors[0]], withBos: true);
        Block(5);
        for (var a = 0; a < anchors.Length; a++)
            Assert.That(sums[a] == expected[a], Is.True, $"anchor {a}: {sums[a].Sum:R} != {expected[a].Sum:R}");
    }

    private static int[] Shuffle(int[] items, Random random)
    {
        random.Shuffle(items);
        return items;
    }
}
