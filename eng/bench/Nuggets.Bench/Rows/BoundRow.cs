using System.Diagnostics;
using Nuggets.Core.Scoring;
using Nuggets.Llama;

namespace Nuggets.Bench.Rows;

/// <summary>
/// Row 1, the least work this scoring needs on this engine: the tokens the product must decode — each candidate
/// once, each anchor once per candidate and once alone for its zero-shot sum — with a logits row at every position
/// that predicts a response token, and nothing else (no log-softmax, no cache, no pipeline). It is decoded in both
/// layouts llama.cpp offers for a shared prefix, and the faster one is the bound:
/// <list type="bullet">
/// <item><b>per anchor</b>: the candidate in sequence 0, then each anchor in its own call at the cells after it,
/// dropped afterwards (the product's layout; each token attends over its own pair only);</item>
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
        using var context = LlamaContext.Create(model, new LlamaContextOptions
        {
            ContextLength = texts.Candidates.Max(c => c.Length) + Math.Max(spec.Batch, texts.Anchors.Max(a => a.Tokens.Length)) + spec.Batch,
            BatchSize = spec.Batch, MaxSequences = MaxPacked + 1, Threads = spec.Threads, FullPrecisionAttention = true,
        });
        using var batch = context.CreateBatch();
        var perAnchor = new SpanDecoder(context, batch);
        var packed = new PackedDecoder(context, batch);

        void PerAnchor(int[] candidate)
        {
            context.ClearMemory();
            if (candidate.Length > 0) perAnchor.Decode(candidate, 0, candidate.Length, candidate.Length - 1, null);
            foreach (var anchor in texts.Anchors)
            {
                if (candidate.Length == 0) context.ClearMemory();
                perAnchor.Decode(anchor.Tokens, candidate.Length, Math.Max(anchor.ResponseStart, 1) - 1, anchor.Tokens.Length - 2, null);
                context.TruncateSequence(0, candidate.Length);
            }
        }

        double Measure(Action<int[]> layout, Action reset)
        {
            layout(texts.Candidates[0]); // warm-up: graphs and buffers, as every other row gets
            reset();
            var watch = Stopwatch.StartNew();
            layout([]);
            foreach (var candidate in texts.Candidates) layout(candidate);
            return watch.Elapsed.TotalSeconds;
        }

        var perAnchorSeconds = Measure(PerAnchor, perAnchor.Reset);
        var packedSeconds = Measure(c => packed.Candidate(c, texts.Anchors), packed.Reset);
        var fastest = perAnchorSeconds <= packedSeconds;
        return new RowResult
        {
            Row = spec.Row, Seconds = Math.Min(perAnchorSeconds, packedSeconds), Pairs = texts.Pairs,
            UsefulTokens = perAnchor.Tokens, DecodedTokens = perAnchor.Tokens,
            DecodeCalls = fastest ? perAnchor.Calls : packed.Calls,
            DecodeSeconds = fastest ? perAnchor.DecodeSeconds : packed.DecodeSeconds,
            PerAnchorSeconds = perAnchorSeconds, PackedSeconds = packedSeconds, PackedCalls = packed.Calls,
            MeanAnchorTokens = texts.MeanAnchorTokens, MeanCandidateTokens = texts.MeanCandidateTokens,
        };
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
