using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>The engine <c>select</c> uses: tokenizes, but refuses to decode, so a missing cache entry is an error, not silent work.</summary>
internal sealed class NoDecodingEngine(IScoringEngine inner) : IScoringEngine
{
    public int BosToken => inner.BosToken;
    public int ContextLength => inner.ContextLength;
    public int[] Tokenize(string text, bool addBos) => inner.Tokenize(text, addBos);
    public LogProbSum[] ScoreZeroShot(IReadOnlyList<AnchorSequence> anchors, bool withBos, CancellationToken cancellation = default) => throw Missing($"{anchors.Count} zero-shot anchor sums");
    public IReadOnlyList<PairResult> ScorePairs(IReadOnlyList<AnchorSequence> anchors, IReadOnlyList<PairRequest> requests, CancellationToken cancellation = default) =>
        throw Missing($"{requests.Sum(r => r.AnchorIndexes.Count)} (candidate, anchor) pairs");
    public void SetThreads(int threads) => inner.SetThreads(threads);
    public void Dispose() { }

    public static NuggetsException Missing(string what) => new(
        $"select uses cached scores only, but {what} are not in the cache. Run 'dotnet nuggets score' with the same settings (or 'cache merge' every shard's cache) first.",
        ExitCodes.CacheError);
}
