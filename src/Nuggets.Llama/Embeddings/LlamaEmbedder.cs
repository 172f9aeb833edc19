namespace Nuggets.Llama.Embeddings;

/// <summary>
/// Mean-pooled sequence embeddings (for k-means anchors and redundancy removal), several sequences per
/// <c>llama_decode</c>. Pooling needs a whole sequence inside one physical batch, so <c>n_ubatch</c> = <c>n_batch</c>
/// ≥ the longest sequence; the context grows to fit longer inputs, up to the model's trained context.
/// </summary>
public sealed class LlamaEmbedder : IDisposable
{
    private readonly LlamaModel model;
    private readonly int minimumBatch;
    private readonly int maxSequences;
    private int threads;
    private LlamaContext? context;
    private TokenBatch? batch;

    /// <summary>Creates an embedder; <paramref name="batchSize"/> is the starting <c>n_batch</c> = <c>n_ubatch</c>.</summary>
    public LlamaEmbedder(LlamaModel model, int batchSize = 2048, int maxSequences = 64, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequences, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSequences, LlamaContext.SequenceLimit);
        this.model = model;
        minimumBatch = batchSize;
        this.maxSequences = maxSequences;
        this.threads = threads;
    }

    /// <summary>Sets the compute threads of the embeddings that follow (0 = physical cores); call between <see cref="Embed(IReadOnlyList{int[]}, CancellationToken)"/> calls.</summary>
    public void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        this.threads = threads;
        context?.SetThreads(threads == 0 ? CpuTopology.PhysicalCores : threads);
    }

    /// <summary>Length of every embedding.</summary>
    public int Dimension => model.EmbeddingSize;

    /// <summary>Embeds texts (tokenized with BOS, special-token parsing off).</summary>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellation = default) =>
        Embed(texts.Select(t => model.Tokenizer.Tokenize(t, addBos: true)).ToArray(), cancellation);

    /// <summary>Mean-pooled embeddings of token sequences, in input order (not normalised).</summary>
    /// <exception cref="ArgumentException">A sequence is empty or longer than the model's trained context.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled (checked before each decode call).</exception>
    public float[][] Embed(IReadOnlyList<int[]> sequences, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var longest = 0;
        for (var i = 0; i < sequences.Count; i++)
        {
            if (sequences[i].Length == 0) throw new ArgumentException($"Sequence {i} is empty.", nameof(sequences));
            longest = Math.Max(longest, sequences[i].Length);
        }
        if (longest > model.TrainedContextLength)
            throw new ArgumentException($"A sequence of {longest} tokens exceeds the model's context of {model.TrainedContextLength}; it is not clipped silently.", nameof(sequences));
        var ctx = EnsureContext(longest);
        batch!.Clear(); // a call stopped before its decode left its tokens behind

        var result = new float[sequences.Count][];
        var inBatch = new List<int>();
        void Flush()
        {
            if (inBatch.Count == 0) return;
            cancellation.ThrowIfCancellationRequested();
            ctx.Decode(batch!);
            for (var s = 0; s < inBatch.Count; s++) result[inBatch[s]] = ctx.SequenceEmbedding(s).ToArray();
            ctx.ClearMemory();
            batch!.Clear();
            inBatch.Clear();
        }
        for (var i = 0; i < sequences.Count; i++)
        {
            var tokens = sequences[i];
            if (batch!.Count + tokens.Length > batch.Capacity || inBatch.Count == ctx.MaxSequences) Flush();
            var sequence = inBatch.Count;
            inBatch.Add(i);
            for (var t = 0; t < tokens.Length; t++) batch.Add(tokens[t], t, sequence, output: true);
        }
        Flush();
        return result;
    }

    private LlamaContext EnsureContext(int longest)
    {
        if (context is not null && context.BatchSize >= longest) return context;
        batch?.Dispose();
        context?.Dispose();
        // llama.cpp's graph reservation rounds n_tokens up to a multiple of n_seq_max but not n_outputs, and its
        // mean-pooling matmul then asserts (aborting the process) unless n_ubatch is already such a multiple.
        var size = (Math.Max(minimumBatch, longest) + maxSequences - 1) / maxSequences * maxSequences;
        context = LlamaContext.Create(model, new LlamaContextOptions
        {
            ContextLength = size,
            BatchSize = size,
            MicroBatchSize = size,
            MaxSequences = maxSequences,
            Threads = threads,
            MeanPooledEmbeddings = true,
        });
        batch = context.CreateBatch();
        return context;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        batch?.Dispose();
        context?.Dispose();
    }
}
