using Nuggets.Core.Cpu;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>
/// The session's engine with its <see cref="ThreadGovernor"/> polled before every call, so the thread count can follow
/// the load between calls. <see cref="ChunkScorer"/> passes one candidate per call, which keeps calls seconds apart
/// rather than a cache commit (thousands of pairs) apart; no sum depends on the thread count (docs/exactness.md).
/// </summary>
internal sealed class GovernedEngine(IScoringEngine inner, ThreadGovernor governor) : IScoringEngine
{
    public int BosToken => inner.BosToken;
    public int ContextLength => inner.ContextLength;
    public int[] Tokenize(string text, bool addBos) => inner.Tokenize(text, addBos);

    public LogProbSum[] ScoreZeroShot(IReadOnlyList<AnchorSequence> anchors, bool withBos, CancellationToken cancellation = default)
    {
        governor.Poll();
        return inner.ScoreZeroShot(anchors, withBos, cancellation);
    }

    public IReadOnlyList<PairResult> ScorePairs(IReadOnlyList<AnchorSequence> anchors, IReadOnlyList<PairRequest> requests, CancellationToken cancellation = default)
    {
        governor.Poll();
        return inner.ScorePairs(anchors, requests, cancellation);
    }

    public void SetThreads(int threads) => inner.SetThreads(threads);

    // The session owns the engine.
    public void Dispose() { }
}
