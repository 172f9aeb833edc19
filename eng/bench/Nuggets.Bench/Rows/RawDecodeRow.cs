using System.Diagnostics;
using Nuggets.Llama;

namespace Nuggets.Bench.Rows;

/// <summary>
/// Row 1, the engine limit: the token volume the product decodes for these pairs (each candidate once, each
/// anchor once per candidate and once zero-shot), fed as full batches of one fresh sequence with one logit row
/// per batch. No scoring logic, no shared cache: what <c>llama_decode</c> does here with large batches.
/// </summary>
internal static class RawDecodeRow
{
    public static RowResult Run(ChildSpec spec, LlamaModel model)
    {
        var texts = Texts.Load(spec, model.Tokenizer);
        var stream = texts.Candidates.SelectMany(c => c).Concat(texts.Anchors.SelectMany(a => a.Tokens)).ToArray();
        var volume = texts.Candidates.Sum(c => (long)c.Length) + (texts.Candidates.Length + 1L) * texts.Anchors.Sum(a => (long)a.Tokens.Length);

        using var context = LlamaContext.Create(model, new LlamaContextOptions
        {
            ContextLength = spec.Batch, BatchSize = spec.Batch, Threads = spec.Threads, FullPrecisionAttention = true,
        });
        using var batch = context.CreateBatch();
        long offset = 0;
        void Decode(int count)
        {
            context.ClearMemory();
            batch.Clear();
            for (var i = 0; i < count; i++) batch.Add(stream[(offset + i) % stream.Length], i, 0, i == count - 1);
            offset += count;
            context.Decode(batch);
        }

        Decode(spec.Batch); // warm-up: graph and buffers, as every other row gets
        offset = 0;
        long calls = 0;
        var watch = Stopwatch.StartNew();
        for (long done = 0; done < volume; done += spec.Batch, calls++) Decode((int)Math.Min(spec.Batch, volume - done));
        return new RowResult
        {
            Row = spec.Row, Seconds = watch.Elapsed.TotalSeconds, Pairs = texts.Pairs, UsefulTokens = volume, DecodedTokens = volume,
            DecodeCalls = calls, DecodeSeconds = watch.Elapsed.TotalSeconds,
            MeanAnchorTokens = texts.MeanAnchorTokens, MeanCandidateTokens = texts.MeanCandidateTokens,
        };
    }
}
