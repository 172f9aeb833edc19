using System.Diagnostics;
using Nuggets.Core.Scoring;
using Nuggets.Llama;

namespace Nuggets.Bench.Rows;

/// <summary>
/// Row 1, the least work this scoring needs on this engine: the tokens the product must decode — each candidate
/// once, each anchor once per candidate and once alone for its zero-shot sum — with a logits row at every position
/// that predicts a response token, and nothing else (no log-softmax, no cache, no pipeline). It is decoded in both
/// layouts llama.cpp offers for a shared prefix, and the fastest is the bound:
/// <list type="bullet">
/// <item><b>per anchor</b>: the candidate in sequence 0, then each anchor in its own call at the cells after it,
/// dropped afterwards (the product's layout; each token attends over its own pair only), once on exactly the
/// context the product creates and once with the model's n_batch;</item>
/// <item><b>packed</b>: the candidate in sequence 0, copied (shared, with the unified cache) to one sequence per
/// anchor, and as many whole anchors as fit in <c>n_batch</c> decoded in one call (bigger matrix products, but
/// every token attends over every cell in the call's view).</item>
/// </list>
/// </summary>
internal static class BoundRow
{
    /// <summary>Sequences in one packed call (the anchors of one call, plus the candidate's).</summary>
    private const int MaxPacked = 64;

    public static RowResult Run(ChildSpec spec, LlamaModel model)
    {
        var texts = Texts.Load(spec, model.Tokenizer);
        var longestPair = texts.Candidates.Max(c => c.Length) + texts.Anchors.Max(a => a.Tokens.Length);

        // One anchor per call, on exactly the context the product's engine creates (512-token slices, one sequence,
        // as many cells as the longest pair), and on one with the model's n_batch for the baselines.
        var perAnchor = PerAnchor(spec, model, texts, new LlamaContextOptions
        {
            ContextLength = longestPair, BatchSize = ProductSliceTokens, MaxSequences = 1, Threads = spec.Threads, FullPrecisionAttention = true,
        });
        var perAnchorBatch = spec.Batch == ProductSliceTokens ? perAnchor : PerAnchor(spec, model, texts, new LlamaContextOptions
        {
            ContextLength = longestPair + spec.Batch, BatchSize = spec.Batch, MaxSequences = 1, Threads = spec.Threads, FullPrecisionAttention = true,
        });

        using var context = LlamaContext.Create(model, new LlamaContextOptions
        {
            ContextLength = texts.Candidates.Max(c => c.Length) + Math.Max(spec.Batch, texts.Anchors.Max(a => a.Tokens.Length)) + spec.Batch,
            BatchSize = spec.Batch, MaxSequences = MaxPacked + 1, Threads = spec.Threads, FullPrecisionAttention = true,
        });
        using var batch = context.CreateBatch();
        var packed = new PackedDecoder(context, batch);
        packed.Candidate(texts.Candidates[0], texts.Anchors); // warm-up: graphs and buffers, as every other row gets
        packed.Reset();
        var watch = Stopwatch.StartNew();
        packed.Candidate([], texts.Anchors);
        foreach (var candidate in texts.Candidates) packed.Candidate(candidate, texts.Anchors);
        var packedSeconds = watch.Elapsed.TotalSeconds;

        var best = new[] { perAnchor, perAnchorBatch }.MinBy(r => r.Seconds)!;
        var packedWins = packedSeconds < best.Seconds;
        return new RowResult
        {
            Row = spec.Row, Seconds = packedWins ? packedSeconds : best.Seconds, Pairs = texts.Pairs,
            UsefulTokens = perAnchor.Tokens, DecodedTokens = perAnchor.Tokens,
            DecodeCalls = packedWins ? packed.Calls : best.Calls,
            DecodeSeconds = packedWins ? packed.DecodeSeconds : best.DecodeSeconds,
            PerAnchorSeconds = perAnchor.Seconds, PerAnchorBatchSeconds = spec.Batch == ProductSliceTokens ? 0 : perAnchorBatch.Seconds,
            PackedSeconds = packedSeconds, PackedCalls = packed.Calls,
            MeanAnchorTokens = texts.MeanAnchorTokens, MeanCandidateTokens = texts.MeanCandidateTokens,
        };
    }

    /// <summary>The product's slice length (<c>CanonicalLayout.SliceTokens</c> in Nuggets.Llama, internal there).</summary>
    private const int ProductSliceTokens = 512;

    private sealed record Timing(double Seconds, long Tokens, long Calls, double DecodeSeconds);

    /// <summary>The per-anchor layout on a context made with <paramref name="options"/>: warm-up, then the timed loop.</summary>
    private static Timing PerAnchor(ChildSpec spec, LlamaModel model, Texts texts, LlamaContextOptions options)
    {
        using var context = LlamaContext.Create(model, options);
        using var batch = context.CreateBatch();
        var decoder = new SpanDecoder(context, batch);

        void Candidate(int[] candidate)
        {
            context.ClearMemory();
            if (candidate.Length > 0) decoder.Decode(candidate, 0, candidate.Length, candidate.Length - 1, null);
            foreach (var anchor in texts.Anchors)
            {
                if (candidate.Length == 0) context.ClearMemory();
                decoder.Decode(anchor.Tokens, candidate.Length, Math.Max(anchor.ResponseStart, 1) - 1, anchor.Tokens.Length - 2, null);
                context.TruncateSequence(0, candidate.Length);
            }
        }

        Candidate(texts.Candidates[0]); // warm-up
        decoder.Reset();
        var watch = Stopwatch.StartNew();
        Candidate([]);
        foreach (var candidate in texts.Candidates) Candidate(candidate);
        return new Timing(watch.Elapsed.TotalSeconds, decoder.Tokens, decoder.Calls, decoder.DecodeSeconds);
    }

    /// <summary>The packed layout: whole anchors, each its own sequence sharing the candidate's cells, several per call.</summary>
    private sealed class PackedDecoder(LlamaContext context, TokenBatch batch)
    {
        public long Calls { get; private set; }
        public double DecodeSeconds { get; private set; }

        public void Reset()
        {
            Calls = 0;
            DecodeSeconds = 0;
        }

        public void Candidate(int[] candidate, IReadOnlyList<AnchorSequence> anchors)
        {
            context.ClearMemory();
            var spans = new SpanDecoder(context, batch);
            if (candidate.Length > 0) spans.Decode(candidate, 0, candidate.Length, candidate.Length - 1, null);
            Calls += spans.Calls;
            DecodeSeconds += spans.DecodeSeconds;
            var next = 0;
            while (next < anchors.Count)
            {
                batch.Clear();
                var sequences = 0;
                while (next < anchors.Count && sequences < MaxPacked && (sequences == 0 || batch.Count + anchors[next].Tokens.Length <= batch.Capacity))
                {
                    var anchor = anchors[next];
                    if (anchor.Tokens.Length > batch.Capacity) break; // too long to pack: decoded alone below
                    var sequence = ++sequences;
                    if (candidate.Length > 0) context.CopySequence(0, sequence);
                    for (var t = 0; t < anchor.Tokens.Length; t++)
                        batch.Add(anchor.Tokens[t], candidate.Length + t, sequence, output: t + 1 >= anchor.ResponseStart && t + 1 < anchor.Tokens.Length);
                    next++;
                }
                if (sequences == 0)
                {
                    // An anchor longer than a call: its own slices, as in the per-anchor layout.
                    var alone = new SpanDecoder(context, batch);
                    var anchor = anchors[next++];
                    alone.Decode(anchor.Tokens, candidate.Length, Math.Max(anchor.ResponseStart, 1) - 1, anchor.Tokens.Length - 2, null);
                    context.TruncateSequence(0, candidate.Length);
                    Calls += alone.Calls;
                    DecodeSeconds += alone.DecodeSeconds;
                    continue;
                }
                var started = Stopwatch.GetTimestamp();
                context.Decode(batch);
                DecodeSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
                Calls++;
                for (var s = 1; s <= sequences; s++) context.RemoveSequence(s);
            }
        }
    }
}
