using System.Diagnostics;
using Nuggets.Llama;
using Nuggets.Llama.Scoring;

namespace Nuggets.Bench.Rows;

/// <summary>
/// Decodes one sequence's tokens for the baseline rows, in slices of <c>n_batch</c>, following the two rules that
/// keep a token's logits independent of how it was cut into calls (docs/exactness.md, "The canonical layout"): a
/// slice is never a single token, and a call that asks for logits asks for at least two rows. That is what lets the
/// benchmark compare the baselines' sums with the product's bit for bit: the rows differ in how much work they do,
/// never in the numbers they compute.
/// </summary>
internal sealed class SpanDecoder(LlamaContext context, TokenBatch batch)
{
    private readonly double[] scratch = new double[context.VocabularySize];

    public long Tokens { get; private set; }
    public long Calls { get; private set; }
    public double DecodeSeconds { get; private set; }
    public double LogSoftmaxSeconds { get; private set; }

    /// <summary>Forgets the counters (after a warm-up).</summary>
    public void Reset()
    {
        Tokens = Calls = 0;
        DecodeSeconds = LogSoftmaxSeconds = 0;
    }

    /// <summary>
    /// Decodes <paramref name="tokens"/> at positions <paramref name="position"/>.. of sequence 0. The tokens at offsets
    /// <paramref name="firstOutput"/>..<paramref name="lastOutput"/> ask for logits and, when <paramref name="onLogProbability"/>
    /// is given, the log-probability of the token after each is passed to it in order (offset, value). Without it the
    /// logits are computed and not read (the bound row: the engine's work, no scoring).
    /// </summary>
    public void Decode(ReadOnlySpan<int> tokens, int position, int firstOutput, int lastOutput, Action<int, double>? onLogProbability)
    {
        var start = 0;
        while (start < tokens.Length)
        {
            var length = Math.Min(batch.Capacity, tokens.Length - start);
            if (tokens.Length - start - length == 1) length--; // never leave a one-token slice
            var end = start + length - 1;
            var from = Math.Max(firstOutput, start);
            var to = Math.Min(lastOutput, end);
            var padding = from == to && length >= 2 ? (from == start ? start + 1 : start) : -1;
            batch.Clear();
            for (var t = start; t <= end; t++) batch.Add(tokens[t], position + t, 0, output: (t >= from && t <= to) || t == padding);
            var started = Stopwatch.GetTimestamp();
            context.Decode(batch);
            var decoded = Stopwatch.GetTimestamp();
            Calls++;
            Tokens += length;
            DecodeSeconds += Stopwatch.GetElapsedTime(started, decoded).TotalSeconds;
            if (onLogProbability is not null)
            {
                for (var t = from; t <= to; t++) onLogProbability(t, LogSoftmax.LogProbability(context.Logits(t - start), tokens[t + 1], scratch));
                LogSoftmaxSeconds += Stopwatch.GetElapsedTime(decoded).TotalSeconds;
            }
            start += length;
        }
    }
}
