using System.Diagnostics;
using Nuggets.Core.Scoring;

namespace Nuggets.Llama.Scoring;

/// <summary>
/// Scores (prefix, anchor) pairs on one context. With prefix sharing, each prefix is decoded once into its own
/// sequence; every anchor gets a sequence that shares the prefix cells (<c>llama_memory_seq_cp</c> on the unified
/// cache) and the anchors of a chunk go through one <c>llama_decode</c>, asking for logits only where a response
/// token is predicted. Anchor sequences are freed after each chunk, so the cache (and the attention span
/// <c>n_kv</c> every token pays for) stays about one prefix plus one batch long.
/// </summary>
/// <remarks>
/// Pairs of one prefix must be contiguous: a prefix is evicted once its last pair is done, and the context is
/// sized so that the first pair of any chunk fits beside the one live prefix.
/// </remarks>
internal sealed class PairBatchScorer : IDisposable
{
    private readonly LlamaContext context;
    private readonly bool sharePrefix;
    private readonly ScoringStatistics statistics;
    private readonly TokenBatch batch;
    private readonly double[] scratch;
    private readonly List<PendingOutput> pending = [];

    private IReadOnlyList<int[]> prefixes = [];
    private double[] sums = [];
    private int[] counts = [];
    private float[]?[] prefixLastLogits = [];

    private readonly record struct PendingOutput(int BatchIndex, int Pair, int Target);

    internal PairBatchScorer(LlamaContext context, bool sharePrefix, ScoringStatistics statistics)
    {
        this.context = context;
        this.sharePrefix = sharePrefix;
        this.statistics = statistics;
        batch = context.CreateBatch();
        scratch = new double[context.VocabularySize];
    }

    /// <summary>KV cells a context needs so that every chunk of these pairs fits.</summary>
    internal static int CellsNeeded(IReadOnlyList<int[]> prefixes, IReadOnlyList<ScoringPair> pairs, int batchSize, bool sharePrefix)
    {
        var longestPair = 0;
        var longestPrefix = 0;
        foreach (var pair in pairs)
        {
            var prefixLength = prefixes[pair.Prefix].Length;
            longestPair = Math.Max(longestPair, prefixLength + pair.Anchor.Tokens.Length);
            longestPrefix = Math.Max(longestPrefix, prefixLength);
        }
        return sharePrefix ? Math.Max(longestPair, longestPrefix + batchSize) : longestPair + batchSize;
    }

    internal LogProbSum[] Score(IReadOnlyList<int[]> prefixTokens, IReadOnlyList<ScoringPair> pairs)
    {
        prefixes = prefixTokens;
        sums = new double[pairs.Count];
        counts = new int[pairs.Count];
        prefixLastLogits = new float[prefixes.Count][];
        var remaining = new int[prefixes.Count];
        var needsLastLogits = new bool[prefixes.Count];
        foreach (var pair in pairs)
        {
            remaining[pair.Prefix]++;
            if (pair.Anchor.ResponseStart == 0 && pair.Anchor.Tokens.Length > 0) needsLastLogits[pair.Prefix] = true;
        }

        context.ClearMemory();
        var live = new Dictionary<int, int>(); // prefix → its sequence id
        var liveCells = 0;
        var freeSequences = new Stack<int>(Enumerable.Range(0, context.MaxSequences).Reverse());
        var chunkSequences = new List<int>();
        var newPrefixes = new List<int>();

        var next = 0;
        while (next < pairs.Count)
        {
            foreach (var (prefix, sequence) in live.Where(p => remaining[p.Key] == 0).ToList())
            {
                context.RemoveSequence(sequence);
                freeSequences.Push(sequence);
                liveCells -= prefixes[prefix].Length;
                live.Remove(prefix);
                prefixLastLogits[prefix] = null;
            }

            // Choose the chunk: as many pairs as fit in one batch, the cells and the sequence ids.
            var start = next;
            var tokens = 0;
            var cells = liveCells;
            var sequencesLeft = freeSequences.Count;
            newPrefixes.Clear();
            while (next < pairs.Count)
            {
                var pair = pairs[next];
                var prefixLength = prefixes[pair.Prefix].Length;
                var isNewPrefix = sharePrefix && prefixLength > 0 && !live.ContainsKey(pair.Prefix) && !newPrefixes.Contains(pair.Prefix);
                var pairTokens = pair.Anchor.Tokens.Length + (sharePrefix ? 0 : prefixLength);
                var pairCells = pairTokens + (isNewPrefix ? prefixLength : 0);
                var pairSequences = isNewPrefix ? 2 : 1;
                var fits = cells + pairCells <= context.ContextLength && pairSequences <= sequencesLeft;
                if (next > start && (!fits || tokens + pairTokens > batch.Capacity)) break;
                if (!fits)
                    throw new InvalidOperationException(
                        $"Internal error: a pair of {prefixLength}+{pair.Anchor.Tokens.Length} tokens does not fit a context of {context.ContextLength} cells.");
                if (isNewPrefix) newPrefixes.Add(pair.Prefix);
                tokens += pairTokens;
                cells += pairCells;
                sequencesLeft -= pairSequences;
                next++;
            }

            // Decode the chunk's new prefixes once each; only the last token's logits may be needed.
            foreach (var prefix in newPrefixes)
            {
                var sequence = freeSequences.Pop();
                live[prefix] = sequence;
                var prefixTokensOf = prefixes[prefix];
                liveCells += prefixTokensOf.Length;
                for (var t = 0; t < prefixTokensOf.Length; t++)
                {
                    var last = t == prefixTokensOf.Length - 1;
                    Append(prefixTokensOf[t], t, sequence, last && needsLastLogits[prefix], -1 - prefix, 0);
                }
            }
            Flush();

            chunkSequences.Clear();
            for (var p = start; p < next; p++)
            {
                var pair = pairs[p];
                var sequence = freeSequences.Pop();
                chunkSequences.Add(sequence);
                if (sharePrefix) AppendSharedPair(p, pair, sequence, live);
                else AppendWholePair(p, pair, sequence);
                remaining[pair.Prefix]--;
            }
            Flush();

            foreach (var sequence in chunkSequences)
            {
                context.RemoveSequence(sequence);
                freeSequences.Push(sequence);
            }
        }
        context.ClearMemory();

        var result = new LogProbSum[pairs.Count];
        for (var p = 0; p < pairs.Count; p++) result[p] = new LogProbSum(sums[p], counts[p]);
        return result;
    }

    private void AppendSharedPair(int pairIndex, ScoringPair pair, int sequence, Dictionary<int, int> live)
    {
        var prefixLength = prefixes[pair.Prefix].Length;
        var anchor = pair.Anchor.Tokens;
        var responseStart = pair.Anchor.ResponseStart;
        if (prefixLength > 0) context.CopySequence(live[pair.Prefix], sequence);
        if (responseStart == 0 && anchor.Length > 0)
            Accumulate(pairIndex, prefixLastLogits[pair.Prefix]!, anchor[0]);
        for (var t = 0; t < anchor.Length; t++)
        {
            // The logit at position t predicts token t+1; ask only where t+1 is a response token.
            var output = t + 1 >= responseStart && t + 1 < anchor.Length;
            Append(anchor[t], prefixLength + t, sequence, output, pairIndex, output ? anchor[t + 1] : 0);
        }
    }

    private void AppendWholePair(int pairIndex, ScoringPair pair, int sequence)
    {
        var prefix = prefixes[pair.Prefix];
        var anchor = pair.Anchor.Tokens;
        var firstScored = prefix.Length + pair.Anchor.ResponseStart;
        var total = prefix.Length + anchor.Length;
        for (var q = 0; q < total; q++)
        {
            var token = q < prefix.Length ? prefix[q] : anchor[q - prefix.Length];
            var output = q + 1 >= firstScored && q + 1 < total;
            Append(token, q, sequence, output, pairIndex, output ? anchor[q + 1 - prefix.Length] : 0);
        }
    }

    // pair: the pair the output scores, or −1 − prefix for a prefix's last-token logits.
    private void Append(int token, int position, int sequence, bool output, int pair, int target)
    {
        if (batch.IsFull) Flush();
        var index = batch.Add(token, position, sequence, output);
        if (output) pending.Add(new PendingOutput(index, pair, target));
    }

    private void Flush()
    {
        if (batch.Count == 0) return;
        var started = Stopwatch.GetTimestamp();
        context.Decode(batch);
        var decoded = Stopwatch.GetTimestamp();
        statistics.DecodeCalls++;
        statistics.TokensDecoded += batch.Count;
        statistics.DecodeTime += Stopwatch.GetElapsedTime(started, decoded);
        foreach (var output in pending)
        {
            var logits = context.Logits(output.BatchIndex);
            if (output.Pair >= 0) Accumulate(output.Pair, logits, output.Target);
            else prefixLastLogits[-1 - output.Pair] = logits.ToArray();
        }
        statistics.OutputsRead += pending.Count;
        statistics.LogSoftmaxTime += Stopwatch.GetElapsedTime(decoded);
        pending.Clear();
        batch.Clear();
    }

    private void Accumulate(int pair, ReadOnlySpan<float> logits, int target)
    {
        sums[pair] += LogSoftmax.LogProbability(logits, target, scratch);
        counts[pair]++;
    }

    public void Dispose() => batch.Dispose();
}
