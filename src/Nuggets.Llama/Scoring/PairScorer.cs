using System.Diagnostics;
using Nuggets.Core.Scoring;

namespace Nuggets.Llama.Scoring;

/// <summary>
/// Scores (prefix, anchor) pairs in the <see cref="CanonicalLayout"/> on a one-sequence context. Per prefix: the
/// memory is cleared, the prefix is decoded once into cells 0..P-1, and each anchor in turn is decoded at positions
/// P.. in its own calls, asking for logits only where a response token is predicted; then the anchor's cells are
/// dropped so the next anchor takes the same cells. Every pair therefore meets the same cells, the same call shapes
/// and the same kernels whatever else is scored, in any order, on any number of threads.
/// </summary>
/// <remarks>
/// Pairs of one prefix must be contiguous. With <c>sharePrefix</c> off the prefix is decoded again for every
/// anchor (the obvious pattern, kept for benchmarks); the decode calls of each pair are then the same ones, so the
/// sums are bit-identical either way.
/// <para>
/// A shared prefix stays resident after a call that ends with it: a next call whose first prefix has the same tokens
/// scores its anchors after the cells already there instead of decoding them again (pruning asks for one candidate's
/// anchors a block at a time). Those cells hold exactly what decoding the prefix again would put there, and each
/// anchor takes the same cells after them as it would within one call, so a sum is bit-identical either way.
/// </para>
/// </remarks>
internal sealed class PairScorer : IDisposable
{
    private readonly LlamaContext context;
    private readonly bool sharePrefix;
    private readonly ScoringStatistics statistics;
    private readonly TokenBatch batch;
    private readonly double[] scratch;
    private readonly float[] prefixLastLogits;
    private double sum;
    private int count;
    private CancellationToken stopToken;
    /// <summary>The prefix whose cells (and last logits) the context holds now, with nothing after them; null when none.</summary>
    private int[]? resident;

    internal PairScorer(LlamaContext context, bool sharePrefix, ScoringStatistics statistics)
    {
        this.context = context;
        this.sharePrefix = sharePrefix;
        this.statistics = statistics;
        batch = context.CreateBatch();
        scratch = new double[context.VocabularySize];
        prefixLastLogits = new float[context.VocabularySize];
    }

    /// <summary>KV cells a context needs for these pairs: the longest prefix + anchor.</summary>
    internal static int CellsNeeded(IReadOnlyList<int[]> prefixes, IReadOnlyList<ScoringPair> pairs) =>
        pairs.Count == 0 ? 1 : pairs.Max(pair => prefixes[pair.Prefix].Length + pair.Anchor.Tokens.Length);

    /// <summary>
    /// The sums of <paramref name="pairs"/>, in order. A decode call cannot be interrupted, so <paramref name="cancellation"/>
    /// is checked before each one; once it is signalled the sums of the pairs finished so far (a prefix) are returned.
    /// </summary>
    internal LogProbSum[] Score(IReadOnlyList<int[]> prefixes, IReadOnlyList<ScoringPair> pairs, CancellationToken cancellation = default)
    {
        var result = new LogProbSum[pairs.Count];
        var p = 0;
        stopToken = cancellation;
        var completed = false;
        try
        {
            while (p < pairs.Count)
            {
                var prefix = prefixes[pairs[p].Prefix];
                var end = p;
                while (end < pairs.Count && pairs[end].Prefix == pairs[p].Prefix) end++;
                var decodedAlone = prefix.Length >= CanonicalLayout.MinimumSharedPrefix;
                if (decodedAlone && sharePrefix && !IsResident(prefix)) DecodePrefix(prefix);
                for (; p < end; p++)
                {
                    if (decodedAlone && !sharePrefix) DecodePrefix(prefix);
                    result[p] = decodedAlone ? ScoreAfterPrefix(prefix.Length, pairs[p].Anchor) : ScoreWhole(prefix, pairs[p].Anchor);
                }
            }
            completed = true;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Pair p was cut short between two of its decode calls: it is dropped, the ones before it are whole.
            return result[..p];
        }
        finally
        {
            stopToken = default;
            // Only a call that finished with a shared prefix (and nothing after it) leaves it for the next call.
            if (!completed || resident is null)
            {
                context.ClearMemory();
                resident = null;
            }
        }
        return result;
    }

    /// <summary>Cells 0..P-1 hold the prefix afterwards; its last token's logits are kept (an anchor may start its response there).</summary>
    private void DecodePrefix(int[] prefix)
    {
        context.ClearMemory();
        resident = null;
        DecodeSpan(prefix, position: 0, firstOutput: prefix.Length - 1, lastOutput: prefix.Length - 1, keepLastLogits: true);
        if (sharePrefix) resident = prefix;
    }

    private bool IsResident(int[] prefix) => resident is not null && resident.AsSpan().SequenceEqual(prefix);

    private LogProbSum ScoreAfterPrefix(int prefixLength, AnchorSequence anchor)
    {
        sum = 0;
        count = 0;
        var tokens = anchor.Tokens;
        if (tokens.Length == 0) return new LogProbSum(0, 0);
        if (anchor.ResponseStart == 0) Accumulate(prefixLastLogits, tokens[0]);
        // The logits at anchor offset t predict token t+1: ask from the token before the first response token to
        // the one before the last.
        DecodeSpan(tokens, position: prefixLength, firstOutput: Math.Max(anchor.ResponseStart, 1) - 1, lastOutput: tokens.Length - 2, keepLastLogits: false);
        context.TruncateSequence(0, prefixLength);
        return new LogProbSum(sum, count);
    }

    /// <summary>A prefix too short to decode alone (none, or one token such as BOS) goes in front of the anchor.</summary>
    private LogProbSum ScoreWhole(int[] prefix, AnchorSequence anchor)
    {
        sum = 0;
        count = 0;
        var tokens = prefix.Length == 0 ? anchor.Tokens : [.. prefix, .. anchor.Tokens];
        context.ClearMemory();
        resident = null;
        DecodeSpan(tokens, position: 0, firstOutput: prefix.Length + anchor.ResponseStart - 1, lastOutput: tokens.Length - 2, keepLastLogits: false);
        return new LogProbSum(sum, count);
    }

    /// <summary>
    /// Decodes <paramref name="tokens"/> at positions <paramref name="position"/>.. in the canonical slices. The tokens
    /// at offsets firstOutput..lastOutput ask for logits; each predicts the token after it, except that with
    /// <paramref name="keepLastLogits"/> the last one's logits are kept instead.
    /// </summary>
    private void DecodeSpan(int[] tokens, int position, int firstOutput, int lastOutput, bool keepLastLogits)
    {
        if (firstOutput > lastOutput) return; // nothing to predict (an anchor with an empty response)
        foreach (var (start, length) in CanonicalLayout.Slices(tokens.Length))
        {
            var end = start + length - 1;
            var from = Math.Max(firstOutput, start);
            var to = Math.Min(lastOutput, end);
            // One logits row would take the one-row kernel for the output layers; a second, unread row keeps them
            // on the same kernel as every other call (CanonicalLayout).
            var padding = from == to && length >= 2 ? (from == start ? start + 1 : start) : -1;
            batch.Clear();
            for (var t = start; t <= end; t++)
                batch.Add(tokens[t], position + t, 0, output: (t >= from && t <= to) || t == padding);
            Decode();
            var read = Stopwatch.GetTimestamp();
            for (var t = from; t <= to; t++)
            {
                var logits = context.Logits(t - start);
                if (keepLastLogits && t == lastOutput) logits.CopyTo(prefixLastLogits);
                else Accumulate(logits, tokens[t + 1]);
                statistics.OutputsRead++;
            }
            statistics.LogSoftmaxTime += Stopwatch.GetElapsedTime(read);
        }
    }

    private void Decode()
    {
        stopToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        context.Decode(batch);
        statistics.DecodeTime += Stopwatch.GetElapsedTime(started);
        statistics.DecodeCalls++;
        statistics.TokensDecoded += batch.Count;
    }

    private void Accumulate(ReadOnlySpan<float> logits, int target)
    {
        sum += LogSoftmax.LogProbability(logits, target, scratch);
        count++;
    }

    public void Dispose() => batch.Dispose();
}
