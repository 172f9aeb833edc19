using System.Diagnostics;
using Nuggets.Llama;
using Nuggets.Llama.Scoring;

namespace Nuggets.Bench.Rows;

/// <summary>
/// Row 2, the pattern of a general data toolkit's in-context-influence filter: every (candidate, anchor) pair is
/// its own sequence in an empty cache, candidate + anchor decoded together, one pair per decode. Logits are
/// asked only where a response token is predicted, which is already kinder than computing them all. Like every
/// scoring row, it also computes the M zero-shot sums once.
/// </summary>
internal static class NaiveRow
{
    public static RowResult Run(ChildSpec spec, LlamaModel model)
    {
        var texts = Texts.Load(spec, model.Tokenizer);
        var longest = texts.Candidates.Max(c => c.Length) + texts.Anchors.Max(a => a.Tokens.Length);
        using var context = LlamaContext.Create(model, new LlamaContextOptions
        {
            ContextLength = longest + spec.Batch, BatchSize = spec.Batch, Threads = spec.Threads, FullPrecisionAttention = true,
        });
        using var batch = context.CreateBatch();
        var scratch = new double[context.VocabularySize];
        var pending = new List<(int Index, int Target)>();
        long tokens = 0, calls = 0;
        double sum = 0, decodeSeconds = 0, softmaxSeconds = 0;

        void Flush()
        {
            var started = Stopwatch.GetTimestamp();
            context.Decode(batch);
            var decoded = Stopwatch.GetTimestamp();
            calls++;
            foreach (var (index, target) in pending) sum += LogSoftmax.LogProbability(context.Logits(index), target, scratch);
            decodeSeconds += Stopwatch.GetElapsedTime(started, decoded).TotalSeconds;
            softmaxSeconds += Stopwatch.GetElapsedTime(decoded).TotalSeconds;
            pending.Clear();
            batch.Clear();
        }

        void Pair(int[] candidate, Nuggets.Core.Scoring.AnchorSequence anchor)
        {
            context.ClearMemory();
            var firstScored = candidate.Length + anchor.ResponseStart;
            var total = candidate.Length + anchor.Tokens.Length;
            for (var q = 0; q < total; q++)
            {
                if (batch.IsFull) Flush();
                var token = q < candidate.Length ? candidate[q] : anchor.Tokens[q - candidate.Length];
                var output = q + 1 >= firstScored && q + 1 < total;
                var index = batch.Add(token, q, 0, output);
                if (output) pending.Add((index, anchor.Tokens[q + 1 - candidate.Length]));
            }
            Flush();
            tokens += total;
        }

        Pair(texts.Candidates[0], texts.Anchors[0]); // warm-up
        tokens = calls = 0;
        decodeSeconds = softmaxSeconds = 0;
        var watch = Stopwatch.StartNew();
        // Zero-shot sums first, each anchor alone (no BOS, the reference policy): every method needs them once.
        foreach (var anchor in texts.Anchors) Pair([], anchor);
        foreach (var candidate in texts.Candidates)
            foreach (var anchor in texts.Anchors) Pair(candidate, anchor);
        return new RowResult
        {
            Row = spec.Row, Seconds = watch.Elapsed.TotalSeconds, Pairs = texts.Pairs, UsefulTokens = tokens, DecodedTokens = tokens,
            DecodeCalls = calls, DecodeSeconds = decodeSeconds, LogSoftmaxSeconds = softmaxSeconds,
            MeanAnchorTokens = texts.MeanAnchorTokens, MeanCandidateTokens = texts.MeanCandidateTokens,
        };
    }
}
