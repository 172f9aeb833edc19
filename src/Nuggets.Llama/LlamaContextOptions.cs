namespace Nuggets.Llama;

/// <summary>How to size a <see cref="LlamaContext"/>.</summary>
public sealed record LlamaContextOptions
{
    /// <summary>KV cells (<c>n_ctx</c>). With the unified cache every sequence draws from this one pool.</summary>
    public int ContextLength { get; init; } = 2048;

    /// <summary>Most tokens one <c>llama_decode</c> call may take (<c>n_batch</c>).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Physical batch (<c>n_ubatch</c>); 0 = <see cref="BatchSize"/>. Pooled embeddings need it ≥ every sequence.</summary>
    public int MicroBatchSize { get; init; }

    /// <summary>Distinct sequence ids in use at once (<c>n_seq_max</c>, at most 256).</summary>
    public int MaxSequences { get; init; } = 1;

    /// <summary>Compute threads; 0 = <see cref="CpuTopology.PhysicalCores"/>.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// F32 KV cache and no flash attention (the scoring engine always sets it). llama.cpp's CPU defaults would turn
    /// flash attention on, whose kernel tiles long slices and splits the KV range of a single token across threads
    /// (so the thread count would change the sums), and round keys and values to F16.
    /// </summary>
    public bool FullPrecisionAttention { get; init; }

    /// <summary>Produce mean-pooled sequence embeddings instead of logits.</summary>
    public bool MeanPooledEmbeddings { get; init; }
}
