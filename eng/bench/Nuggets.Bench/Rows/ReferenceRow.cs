using System.Diagnostics;
using Nuggets.Core.Scoring;
using Nuggets.Llama;

namespace Nuggets.Bench.Rows;

/// <summary>
/// Row 3, what the paper's code does: the candidate is decoded once and its cache shared, and every anchor (prompt +
/// response) is padded or clipped to exactly <see cref="AnchorLength"/> tokens, so the padded positions are decoded
/// too and response tokens past 200 are not scored. Logits only where a response token inside the window is
/// predicted. The M zero-shot sums are computed once, from the padded anchors alone.
/// </summary>
/// <remarks>
/// The authors batch several padded anchors into one forward pass. Here each padded anchor is its own call after the
/// shared candidate, at the same KV cells as every other anchor: on this engine that is the faster of the two layouts
/// (row 1 measures both), and it makes the row's sums comparable bit for bit with the naive row's sums clipped at
/// 200 tokens, which the benchmark checks.
/// </remarks>
internal static class ReferenceRow
{
    public const int AnchorLength = 200;

    public static RowResult Run(ChildSpec spec, LlamaModel model)
    {
        var texts = Texts.Load(spec, model.Tokenizer);
        var pad = model.Tokenizer.Eos >= 0 ? model.Tokenizer.Eos : 0;
        using var context = LlamaContext.Create(model, new LlamaContextOptions
        {
            ContextLength = texts.Candidates.Max(c => c.Length) + AnchorLength + spec.Batch, BatchSize = spec.Batch,
            Threads = spec.Threads, FullPrecisionAttention = true,
        });
        using var batch = context.CreateBatch();
        var decoder = new SpanDecoder(context, batch);
        long useful = 0;

        double Padded(int position, AnchorSequence anchor)
        {
            var kept = Math.Min(anchor.Tokens.Length, AnchorLength);
            var padded = new int[AnchorLength];
            for (var t = 0; t < AnchorLength; t++) padded[t] = t < kept ? anchor.Tokens[t] : pad;
            double sum = 0;
            decoder.Decode(padded, position, anchor.ResponseStart - 1, kept - 2, (_, value) => sum += value);
            useful += kept;
            return sum;
        }

        void Candidate(int[] candidate, IReadOnlyList<AnchorSequence> anchors, Span<double> sums)
        {
            context.ClearMemory();
            if (candidate.Length > 0) decoder.Decode(candidate, 0, candidate.Length, candidate.Length - 1, null);
            useful += candidate.Length;
            for (var a = 0; a < anchors.Count; a++)
            {
                if (candidate.Length == 0) context.ClearMemory();
                sums[a] = Padded(candidate.Length, anchors[a]);
                context.TruncateSequence(0, candidate.Length);
            }
        }

        Candidate(texts.Candidates[0], texts.Anchors.Take(1).ToArray(), new double[1]); // warm-up
        decoder.Reset();
        useful = 0;
        var sums = new PairSums(texts);
        var watch = Stopwatch.StartNew();
        Candidate([], texts.Anchors, sums.ZeroShotClipped); // zero-shot sums: the padded anchors alone
        for (var c = 0; c < texts.Candidates.Length; c++)
            Candidate(texts.Candidates[c], texts.Anchors, sums.OneShotClipped.AsSpan(sums.Index(c, 0), texts.Anchors.Length));
        return new RowResult
        {
            Row = spec.Row, Seconds = watch.Elapsed.TotalSeconds, Pairs = texts.Pairs, UsefulTokens = useful, DecodedTokens = decoder.Tokens,
            DecodeCalls = decoder.Calls, DecodeSeconds = decoder.DecodeSeconds, LogSoftmaxSeconds = decoder.LogSoftmaxSeconds,
            MeanAnchorTokens = texts.MeanAnchorTokens, MeanCandidateTokens = texts.MeanCandidateTokens, Sums = sums,
        };
    }
}
