using System.Security.Cryptography;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Tests.Fakes;

/// <summary>
/// A deterministic stand-in for llama.cpp, for unit tests of pure pipeline logic only: one token per character,
/// and sums that are a hash of (candidate tokens, anchor tokens), so they are stable and unrelated to caching.
/// Pairs win 7 times in 8 on average over many anchors, but each anchor's rate is fixed by its own zero-shot draw, so
/// a fixture with few anchors departs from that: 120 rows × 20 anchors win 82% of their pairs (see <see cref="Value"/>
/// and <c>FakeEngineTests</c>, which measures it).
/// </summary>
internal sealed class FakeEngine(int contextLength = 4096) : IScoringEngine
{
    public int BosToken => 1;
    public int ContextLength { get; } = contextLength;
    public long PairsScored { get; private set; }
    public long ZeroShotScored { get; private set; }

    public int[] Tokenize(string text, bool addBos) =>
        (addBos ? new[] { BosToken } : []).Concat(text.Select(c => 2 + c % 500)).ToArray();

    public LogProbSum[] ScoreZeroShot(IReadOnlyList<AnchorSequence> anchors, bool withBos, CancellationToken cancellation = default)
    {
        ZeroShotScored += anchors.Count;
        return anchors.Select(a => new LogProbSum(Value([], a.Tokens) - 0.5, a.ResponseLength)).ToArray();
    }

    public IReadOnlyList<PairResult> ScorePairs(IReadOnlyList<AnchorSequence> anchors, IReadOnlyList<PairRequest> requests, CancellationToken cancellation = default) =>
        requests.Select(r =>
        {
            PairsScored += r.AnchorIndexes.Count;
            return new PairResult(r.AnchorIndexes.Select(i => new LogProbSum(Value(r.Candidate, anchors[i].Tokens), anchors[i].ResponseLength)).ToArray(), null);
        }).ToArray();

    /// <summary>Every count set, in order, with the pairs scored before it: tests check when the count changed.</summary>
    public List<(int Threads, long PairsBefore)> ThreadsSet { get; } = [];

    public void SetThreads(int threads) => ThreadsSet.Add((threads, PairsScored));

    public void Dispose() { }

    // Uniform in [-1, 0) for every (candidate, anchor). The zero-shot sum is the draw u of the anchor alone, less 0.5,
    // so on an anchor with u < −0.5 every candidate wins, and otherwise a share 0.5 − u of them: 7/8 on average over
    // anchors, with a spread of 0.16 between anchors, which a fixture's few anchors do not average away.
    private static double Value(int[] candidate, int[] anchor)
    {
        var bytes = new byte[(candidate.Length + anchor.Length + 1) * 4];
        Buffer.BlockCopy(candidate, 0, bytes, 0, candidate.Length * 4);
        Buffer.BlockCopy(anchor, 0, bytes, (candidate.Length + 1) * 4, anchor.Length * 4);
        var hash = SHA256.HashData(bytes);
        return -(BitConverter.ToUInt32(hash, 0) / (double)uint.MaxValue) - 1e-9;
    }
}
