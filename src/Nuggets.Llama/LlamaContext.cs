using Nuggets.Core;
using Nuggets.Llama.Native;

namespace Nuggets.Llama;

/// <summary>
/// A llama.cpp inference context: a unified KV cache shared by up to <see cref="MaxSequences"/> sequences, and
/// <see cref="Decode"/> for batches of at most <see cref="BatchSize"/> tokens.
/// </summary>
public sealed unsafe class LlamaContext : IDisposable
{
    /// <summary>llama.cpp's compile-time limit on sequence ids (LLAMA_MAX_SEQ).</summary>
    public const int SequenceLimit = 256;

    private readonly SafeLlamaContextHandle handle;
    private readonly IntPtr memory;

    private LlamaContext(LlamaModel model, SafeLlamaContextHandle handle)
    {
        Model = model;
        this.handle = handle;
        memory = LlamaNative.GetMemory(handle);
        ContextLength = (int)LlamaNative.NCtx(handle);
        BatchSize = (int)LlamaNative.NBatch(handle);
        MicroBatchSize = (int)LlamaNative.NUbatch(handle);
        MaxSequences = (int)LlamaNative.NSeqMax(handle);
        VocabularySize = model.Tokenizer.VocabularySize;
    }

    /// <summary>Creates a context on <paramref name="model"/>.</summary>
    /// <exception cref="LlamaException">llama.cpp could not create it (e.g. out of memory).</exception>
    public static LlamaContext Create(LlamaModel model, LlamaContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ContextLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MicroBatchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSequences, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxSequences, SequenceLimit);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Threads);

        var threads = options.Threads == 0 ? CpuTopology.PhysicalCores : options.Threads;
        var p = LlamaNative.ContextDefaultParams();
        p.NCtx = (uint)options.ContextLength;
        p.NBatch = (uint)options.BatchSize;
        p.NUbatch = (uint)(options.MicroBatchSize == 0 ? options.BatchSize : Math.Min(options.MicroBatchSize, options.BatchSize));
        p.NSeqMax = (uint)options.MaxSequences;
        // The default (1) caps outputs per sequence, which would drop the logits scoring needs at every response position.
        p.NOutputsMaxPerSeq = 0;
        // llama.cpp reserves max(outputs, n_seq_max) output rows and asserts that fits n_outputs_max (default n_batch).
        p.NOutputsMax = (uint)Math.Max(options.BatchSize, options.MaxSequences);
        p.NThreads = threads;
        if (options.FullPrecisionAttention)
        {
            const int ggmlTypeF32 = 0, flashAttentionDisabled = 0;
            p.TypeK = ggmlTypeF32;
            p.TypeV = ggmlTypeF32;
            p.FlashAttnType = flashAttentionDisabled;
        }
        p.NThreadsBatch = threads;
        // Unified cache: llama_memory_seq_cp then shares the prefix cells between sequences instead of copying them.
        p.KvUnified = 1;
        p.NoPerf = 1;
        if (options.MeanPooledEmbeddings)
        {
            p.Embeddings = 1;
            p.PoolingType = (int)LlamaPoolingType.Mean;
        }

        var handle = LlamaNative.InitFromModel(model.Handle, p);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            var why = LlamaLog.RecentProblems.LastOrDefault() ?? "no reason given";
            throw new LlamaException($"llama.cpp could not create a context (n_ctx {p.NCtx}, n_batch {p.NBatch}, n_seq_max {p.NSeqMax}): {why}");
        }
        return new LlamaContext(model, handle);
    }

    /// <summary>The model this context runs.</summary>
    public LlamaModel Model { get; }

    /// <summary>KV cells available to all sequences together (<c>n_ctx</c>).</summary>
    public int ContextLength { get; }

    /// <summary>The most tokens one <see cref="Decode"/> may take (<c>n_batch</c>).</summary>
    public int BatchSize { get; }

    /// <summary>The physical batch (<c>n_ubatch</c>).</summary>
    public int MicroBatchSize { get; }

    /// <summary>Sequence ids 0 .. MaxSequences-1 may be used.</summary>
    public int MaxSequences { get; }

    /// <summary>Compute threads of single-token decodes, as llama.cpp holds them (<c>llama_n_threads</c>).</summary>
    public int Threads => LlamaNative.NThreads(handle);

    /// <summary>Compute threads of batch decodes (<c>llama_n_threads_batch</c>); always <see cref="Threads"/> here.</summary>
    public int BatchThreads => LlamaNative.NThreadsBatch(handle);

    /// <summary>
    /// Sets the compute threads of the decodes that follow (<c>llama_set_n_threads</c>, both single-token and batch).
    /// llama.cpp reads the count at each decode, so no state is rebuilt; call it between decodes only.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        LlamaNative.SetNThreads(handle, threads, threads);
    }

    /// <summary>Length of every logits row.</summary>
    public int VocabularySize { get; }

    /// <summary>A batch with exactly this context's capacity.</summary>
    public TokenBatch CreateBatch() => new(BatchSize);

    /// <summary>Runs the model on <paramref name="batch"/> (its tokens are appended to the KV cache).</summary>
    /// <exception cref="ArgumentException">The batch holds more than <see cref="BatchSize"/> tokens, or is empty.</exception>
    /// <exception cref="LlamaException">llama.cpp rejected the batch or found no room in the KV cache.</exception>
    public void Decode(TokenBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // llama.cpp GGML_ASSERTs n_tokens <= n_batch, which kills the process; refuse here instead.
        if (batch.Count > BatchSize)
            throw new ArgumentException($"A batch of {batch.Count} tokens exceeds this context's n_batch ({BatchSize}).", nameof(batch));
        if (batch.Count == 0)
            throw new ArgumentException("The batch is empty.", nameof(batch));
        var result = LlamaNative.Decode(handle, batch.Native);
        if (result != 0)
        {
            var why = result switch
            {
                1 => "no free KV-cache slot for the batch (the context is too small for the sequences in use)",
                2 => "aborted",
                -1 => "invalid batch",
                _ => "decode failed",
            };
            var detail = LlamaLog.RecentProblems.LastOrDefault();
            throw new LlamaException($"llama_decode returned {result}: {why}{(detail is null ? "" : $" ({detail})")}.");
        }
    }

    /// <summary>The logits of the token at <paramref name="batchIndex"/> in the last decoded batch (it must have asked for output).</summary>
    public ReadOnlySpan<float> Logits(int batchIndex)
    {
        var row = LlamaNative.GetLogitsIth(handle, batchIndex);
        if (row == null)
            throw new LlamaException($"No logits for batch index {batchIndex}: the token did not ask for output.");
        return new ReadOnlySpan<float>(row, VocabularySize);
    }

    /// <summary>The mean-pooled embedding of <paramref name="sequence"/> after the last decode (embedding contexts only).</summary>
    public ReadOnlySpan<float> SequenceEmbedding(int sequence)
    {
        var row = LlamaNative.GetEmbeddingsSeq(handle, sequence);
        if (row == null)
            throw new LlamaException($"No pooled embedding for sequence {sequence} (is this an embedding context, and was the sequence in the batch?).");
        return new ReadOnlySpan<float>(row, Model.EmbeddingSize);
    }

    /// <summary>Empties the KV cache.</summary>
    public void ClearMemory() => LlamaNative.MemoryClear(memory, data: false);

    /// <summary>Frees every cell of <paramref name="sequence"/>.</summary>
    public void RemoveSequence(int sequence) => LlamaNative.MemorySeqRm(memory, sequence, -1, -1);

    /// <summary>Frees the cells of <paramref name="sequence"/> at positions <paramref name="fromPosition"/> and later.</summary>
    public void TruncateSequence(int sequence, int fromPosition) => LlamaNative.MemorySeqRm(memory, sequence, fromPosition, -1);

    /// <summary>Makes <paramref name="destination"/> share all cells of <paramref name="source"/> (no data copied with the unified cache).</summary>
    public void CopySequence(int source, int destination) => LlamaNative.MemorySeqCp(memory, source, destination, -1, -1);

    /// <summary>The highest position stored for <paramref name="sequence"/>, or -1 when it is empty.</summary>
    public int SequenceMaxPosition(int sequence) => LlamaNative.MemorySeqPosMax(memory, sequence);

    internal SafeLlamaContextHandle Handle => handle;

    /// <inheritdoc />
    public void Dispose() => handle.Dispose();
}

/// <summary>llama.cpp failed at run time (context creation, decoding).</summary>
public sealed class LlamaException(string message) : NuggetsException(message, ExitCodes.Model);
