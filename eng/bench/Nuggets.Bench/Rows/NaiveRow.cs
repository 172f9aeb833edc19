using System.Diagnostics;
using Nuggets.Core.Scoring;
using Nuggets.Llama;

namespace Nuggets.Bench.Rows;

/// <summary>
/// Row 2, the pattern of a general data toolkit's in-context-influence filter: every (candidate, anchor) pair is
/// its own sequence in an empty cache, candidate + anchor decoded together, one pair at a time. Logits are asked
/// only where a response token is predicted, which is already kinder than computing them all. Like every scoring
/// row, it also computes the M zero-shot sums once.
/// </summary>
/// <remarks>
/// It keeps every sum, so the benchmark can check that the product computed the same numbers (bit for bit), and the
/// sum clipped to the first <see cref="ReferenceRow.AnchorLength"/> anchor tokens, which is what the reference row
/// computes.
/// </remarks>
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
        var decoder = new SpanDecoder(context, batch);

        (double Full, double Clipped) Pair(int[] candidate, AnchorSequence anchor)
        {
            context.ClearMemory();
            int[] tokens = [.. candidate, .. anchor.Tokens];
            double full = 0, clipped = 0;
            decoder.Decode(tokens, 0, candidate.Length + anchor.ResponseStart - 1, tokens.Length - 2, (t, value) =>
            {
                full += value;
                if (t + 1 - candidate.Length < ReferenceRow.AnchorLength) clipped += value;
            });
            return (full, clipped);
        }

        Pair(texts.Candidates[0], texts.Anchors[0]); // warm-up
        decoder.Reset();
        var sums = new PairSums(texts);
        var watch = Stopwatch.StartNew();
        // Zero-shot sums first, each anchor alone (no BOS, the reference policy): every method needs them once.
        for (var a = 0; a < texts.Anchors.Length; a++) (sums.ZeroShot[a], sums.ZeroShotClipped[a]) = Pair([], texts.Anchors[a]);
        for (var c = 0; c < texts.Candidates.Length; c++)
            for (var a = 0; a < texts.Anchors.Length; a++)
                (sums.OneShot[sums.Index(c, a)], sums.OneShotClipped[sums.Index(c, a)]) = Pair(texts.Candidates[c], texts.Anchors[a]);
        return new RowResult
        {
            Row = spec.Row, Seconds = watch.Elapsed.TotalSeconds, Pairs = texts.Pairs, UsefulTokens = decoder.Tokens, DecodedTokens = decoder.Tokens,
            DecodeCalls = decoder.Calls, DecodeSeconds = decoder.DecodeSeconds, LogSoftmaxSeconds = decoder.LogSoftmaxSeconds,
            MeanAnchorTokens = texts.MeanAnchorTokens, MeanCandidateTokens = texts.MeanCandidateTokens, Sums = sums,
        };
    }
}
