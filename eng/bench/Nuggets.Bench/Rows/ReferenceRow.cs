using System.Diagnostics;
using Nuggets.Llama;
using Nuggets.Llama.Scoring;

namespace Nuggets.Bench.Rows;

/// <summary>
/// Row 3, what the paper's code does: the candidate is decoded once and its cache shared, and every anchor
/// (prompt + response) is padded or clipped to exactly <see cref="AnchorLength"/> tokens, so the padded positions
/// are decoded too and response tokens past 200 are not scored. As many padded anchors as fit in one batch go
/// through one decode; logits only where a response token inside the window is predicted. The M zero-shot sums
/// are computed once, from the padded anchors alone.
/// </summary>
internal static class ReferenceRow
{
    public const int AnchorLength = 200;

    public static RowResult Run(ChildSpec spec, LlamaModel model)
    {
        var texts = Texts.Load(spec, model.Tokenizer);
        var perDecode = Math.Max(1, spec.Batch / AnchorLength);
        var batchSize = Math.Max(spec.Batch, AnchorLength);
        var pad = model.Tokenizer.Eos >= 0 ? model.Tokenizer.Eos : 0;
        using var context = LlamaContext.Create(model, new LlamaContextOptions
        {
            ContextLength = texts.Candidates.Max(c => c.Length) + perDecode * AnchorLength + 256, BatchSize = batchSize,
            MaxSequences = perDecode + 1, Threads = spec.Threads, FullPrecisionAttention = true,
        });
        using var batch = context.CreateBatch();
        var scratch = new double[context.VocabularySize];
        var pending = new List<(int Index, int Target)>();
        long useful = 0, decoded = 0, calls = 0;
        double sum = 0, decodeSeconds = 0, softmaxSeconds = 0;

        void Flush()
        {
            if (batch.Count == 0) return;
            var started = Stopwatch.GetTimestamp();
            context.Decode(batch);
            var done = Stopwatch.GetTimestamp();
            calls++;
            decoded += batch.Count;
            foreach (var (index, target) in pending) sum += LogSoftmax.LogProbability(context.Logits(index), target, scratch);
            decodeSeconds += Stopwatch.GetElapsedTime(started, done).TotalSeconds;
            softmaxSeconds += Stopwatch.GetElapsedTime(done).TotalSeconds;
            pending.Clear();
            batch.Clear();
        }

        void Candidate(int[] candidate, IReadOnlyList<Nuggets.Core.Scoring.AnchorSequence> anchors)
        {
            context.ClearMemory();
            for (var t = 0; t < candidate.Length; t++)
            {
                if (batch.IsFull) Flush();
                batch.Add(candidate[t], t, 0, false);
            }
            Flush();
            useful += candidate.Length;
            for (var first = 0; first < anchors.Count; first += perDecode)
            {
                var group = Math.Min(perDecode, anchors.Count - first);
                for (var g = 0; g < group; g++)
                {
                    var anchor = anchors[first + g];
                    var sequence = g + 1;
                    context.CopySequence(0, sequence);
                    var kept = Math.Min(anchor.Tokens.Length, AnchorLength);
                    useful += kept;
                    for (var t = 0; t < AnchorLength; t++)
                    {
                        var output = t + 1 >= anchor.ResponseStart && t + 1 < kept;
                        var index = batch.Add(t < kept ? anchor.Tokens[t] : pad, candidate.Length + t, sequence, output);
                        if (output) pending.Add((index, anchor.Tokens[t + 1]));
                    }
                }
                Flush();
                for (var g = 0; g < group; g++) context.RemoveSequence(g + 1);
            }
        }

        Candidate(texts.Candidates[0], texts.Anchors.Take(perDecode).ToArray()); // warm-up
        useful = decoded = calls = 0;
        decodeSeconds = softmaxSeconds = 0;
        var watch = Stopwatch.StartNew();
        Candidate([], texts.Anchors); // zero-shot sums: the padded anchors alone
        foreach (var candidate in texts.Candidates) Candidate(candidate, texts.Anchors);
        return new RowResult
        {
            Row = spec.Row, Seconds = watch.Elapsed.TotalSeconds, Pairs = texts.Pairs, UsefulTokens = useful, DecodedTokens = decoded,
            DecodeCalls = calls, DecodeSeconds = decodeSeconds, LogSoftmaxSeconds = softmaxSeconds,
            MeanAnchorTokens = texts.MeanAnchorTokens, MeanCandidateTokens = texts.MeanCandidateTokens,
        };
    }
}
