namespace Nuggets.Llama.Scoring;

/// <summary>Settings of <see cref="LlamaScoringEngine"/>. None of them changes a sum: the decode shape is fixed (<see cref="CanonicalLayout"/>).</summary>
public sealed record ScoringEngineOptions
{
    /// <summary>Compute threads; 0 = physical cores.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// The longest candidate + anchor pair (in positions) that is scored; 0 = the model's trained context length.
    /// Longer pairs follow the documented policy: the candidate is skipped with a reason, never clipped.
    /// </summary>
    public int MaxPairLength { get; init; }

    /// <summary>
    /// True (the design): each candidate is decoded once and its KV cells serve all its anchors.
    /// False: the candidate is decoded again for every anchor, the obvious pattern kept only so benchmarks can
    /// measure what sharing saves. The sums are bit-identical either way.
    /// </summary>
    public bool SharePrefix { get; init; } = true;
}
