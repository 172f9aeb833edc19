using Nuggets.Core.Cpu;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>
/// The session's engine with its <see cref="ThreadGovernor"/> polled before every call, and pair requests passed on
/// one candidate per call, so the thread count can follow the load every few seconds instead of once per cache commit
/// (thousands of pairs). A candidate's prefix is decoded once per call either way, and no sum depends on what else is
/// in a call (docs/exactness.md), so the sums are the same.
/// </summary>
/// <remarks>
/// Zero-shot sums stay one call: they are M pairs against the N×M of scoring, and splitting them would renumber the
/// anchors in the engine's error messages.
/// </remarks>
internal sealed class GovernedEngine(IScoringEngine inner, ThreadGovernor governor) : IScoringEngine
{
    public int BosToken => inner.BosToken;
    public int ContextLength => inner.ContextLength;
    public int[] Tokenize(string text, bool addBos) => inner.Tokenize(text, addBos);

    public LogProbSum[] ScoreZeroShot(IReadOnlyList<AnchorSequence> anchors, bool withBos)
    {
        governor.Poll();
        return inner.ScoreZeroShot(anchors, withBos);
    }

    public IReadOnlyList<PairResult> ScorePairs(IReadOnlyList<AnchorSequence> anchors, IReadOnlyList<PairRequest> requests)
    {
        var results = new PairResult[requests.Count];
        for (var r = 0; r < requests.Count; r++)
        {
            governor.Poll();
            results[r] = inner.ScorePairs(anchors, [requests[r]])[0];
        }
        return results;
    }

    public void SetThreads(int threads) => inner.SetThreads(threads);

    // The session owns the engine.
    public void Dispose() { }
}
