namespace Nuggets.Core.Scoring;

/// <summary>
/// An anchor as token ids: <see cref="Tokens"/> is tokenize(prompt + output) without BOS, and the response
/// tokens (the ones whose log-probabilities are summed) are <c>Tokens[ResponseStart..]</c>, where
/// <see cref="ResponseStart"/> = |tokenize(prompt)| (docs/scoring.md, "Token sequences").
/// </summary>
public sealed record AnchorSequence(int[] Tokens, int ResponseStart)
{
    /// <summary>Number of scored (response) tokens.</summary>
    public int ResponseLength => Tokens.Length - ResponseStart;
}

/// <summary>Σ log p over the scored tokens, accumulated in float64, and how many tokens were summed.</summary>
public readonly record struct LogProbSum(double Sum, int Count);

/// <summary>One candidate (tokenize(prompt + output) with BOS) and the anchors to score it against.</summary>
/// <param name="Candidate">Candidate token ids, BOS included.</param>
/// <param name="AnchorIndexes">Indexes into the anchor list given to the engine.</param>
public sealed record PairRequest(int[] Candidate, IReadOnlyList<int> AnchorIndexes);

/// <summary>The outcome for one <see cref="PairRequest"/>.</summary>
/// <param name="Sums">One sum per requested anchor, in request order; empty when skipped.</param>
/// <param name="SkipReason">Why the candidate was not scored (e.g. longer than the context), or null.</param>
public sealed record PairResult(LogProbSum[] Sums, string? SkipReason)
{
    /// <summary>True when the candidate was skipped instead of scored.</summary>
    public bool Skipped => SkipReason is not null;
}

/// <summary>
/// Computes the log-probability sums the Nuggets score is made of. Implemented on llama.cpp by
/// Nuggets.Llama; a fake is fine for unit tests of pure logic only.
/// </summary>
public interface IScoringEngine : IDisposable
{
    /// <summary>Tokenizes text with the model's tokenizer (special-token parsing off).</summary>
    int[] Tokenize(string text, bool addBos);

    /// <summary>The model's BOS token id.</summary>
    int BosToken { get; }

    /// <summary>The context size the engine scores within.</summary>
    int ContextLength { get; }

    /// <summary>
    /// Zero-shot sums: each anchor alone (prefixed by BOS when <paramref name="withBos"/>, the "symmetric"
    /// policy), summing log p of its response tokens.
    /// </summary>
    /// <remarks>
    /// A decode call cannot be interrupted, so <paramref name="cancellation"/> is checked between calls; once it is
    /// signalled the call returns early with the sums of the anchors it finished, a prefix of <paramref name="anchors"/>
    /// (possibly empty), so the caller can keep them.
    /// </remarks>
    LogProbSum[] ScoreZeroShot(IReadOnlyList<AnchorSequence> anchors, bool withBos, CancellationToken cancellation = default);

    /// <summary>
    /// One-shot sums: for every request, the candidate tokens as a prefix immediately followed by each requested
    /// anchor's tokens (positions continue), summing log p of the anchor's response tokens.
    /// </summary>
    /// <remarks>
    /// <paramref name="cancellation"/> is checked between decode calls; once it is signalled the call returns early with
    /// what it finished: a request cut short has a sum for each of its first anchors only (possibly none) and no skip
    /// reason, so the caller can keep the finished pairs.
    /// </remarks>
    IReadOnlyList<PairResult> ScorePairs(IReadOnlyList<AnchorSequence> anchors, IReadOnlyList<PairRequest> requests, CancellationToken cancellation = default);

    /// <summary>
    /// Sets the compute threads of the calls that follow (called between calls, never during one). Never changes a
    /// sum, only the speed: <c>model.threads: auto</c> uses it to follow the load (<see cref="Cpu.ThreadGovernor"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    void SetThreads(int threads);
}
