namespace Nuggets.Llama.Scoring;

/// <summary>Settings of <see cref="LlamaScoringEngine"/>.</summary>
public sealed record ScoringEngineOptions
{
    /// <summary>Tokens per <c>llama_decode</c> call (<c>n_batch</c> = <c>n_ubatch</c>). Larger batches use the matrix kernels better.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Compute threads; 0 = physical cores.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// The longest candidate + anchor pair (in positions) that is scored; 0 = the model's trained context length.
    /// Longer pairs follow the documented policy: the candidate is skipped with a reason, never clipped.
    /// </summary>
    public int MaxPairLength { get; init; }

    /// <summary>Sequence ids the context provides (at most 256): one per live candidate plus one per anchor in flight.</summary>
    public int MaxSequences { get; init; } = 64;

    /// <summary>
    /// True (the design): each candidate is decoded once and its KV cells are shared by all its anchors.
    /// False: every pair is decoded as its own sequence, candidate included, the obvious pattern kept only so
    /// benchmarks can measure what sharing saves.
    /// </summary>
    public bool SharePrefix { get; init; } = true;

    /// <summary>
    /// Score with an F32 KV cache and without flash attention (see <see cref="LlamaContextOptions.FullPrecisionAttention"/>),
    /// so a pair's score does not depend on batch layout. On by default: the golden score compares sums at strict
    /// <c>&gt;</c>, where layout noise of 1e-3 would flip near-ties between runs with different batch sizes.
    /// </summary>
    public bool FullPrecisionAttention { get; init; } = true;
}
