using System.Runtime.InteropServices;
using Nuggets.Llama.Native;

namespace Nuggets.Llama;

/// <summary>
/// A <c>llama_batch</c> in native memory with a fixed capacity (the context's <c>n_batch</c>). It cannot hold
/// more tokens than that: llama.cpp aborts the whole process on an oversized batch, so the limit is enforced here.
/// Each token belongs to exactly one sequence.
/// </summary>
public sealed unsafe class TokenBatch : IDisposable
{
    private readonly int* tokens;
    private readonly int* positions;
    private readonly int* sequenceCounts;
    private readonly int** sequenceIds;
    private readonly int* sequenceValues;
    private readonly sbyte* outputs;
    private bool disposed;

    /// <summary>Creates an empty batch that holds at most <paramref name="capacity"/> tokens.</summary>
    public TokenBatch(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        var n = (nuint)capacity;
        tokens = (int*)NativeMemory.Alloc(n, sizeof(int));
        positions = (int*)NativeMemory.Alloc(n, sizeof(int));
        sequenceCounts = (int*)NativeMemory.Alloc(n, sizeof(int));
        sequenceIds = (int**)NativeMemory.Alloc(n, (nuint)sizeof(int*));
        sequenceValues = (int*)NativeMemory.Alloc(n, sizeof(int));
        outputs = (sbyte*)NativeMemory.Alloc(n, 1);
        for (var i = 0; i < capacity; i++)
        {
            sequenceCounts[i] = 1;
            sequenceIds[i] = sequenceValues + i;
        }
    }

    /// <summary>The most tokens this batch can hold.</summary>
    public int Capacity { get; }

    /// <summary>Tokens added since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>How many of the tokens ask for an output (logits or embeddings).</summary>
    public int OutputCount { get; private set; }

    /// <summary>True when no more tokens fit.</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>Adds a token and returns its index in the batch (the index to read its output with).</summary>
    /// <exception cref="InvalidOperationException">The batch is full.</exception>
    public int Add(int token, int position, int sequence, bool output)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (Count == Capacity)
            throw new InvalidOperationException($"The batch is full ({Capacity} tokens = n_batch); llama.cpp would abort on a larger one.");
        var i = Count++;
        tokens[i] = token;
        positions[i] = position;
        sequenceValues[i] = sequence;
        outputs[i] = output ? (sbyte)1 : (sbyte)0;
        if (output) OutputCount++;
        return i;
    }

    /// <summary>Empties the batch.</summary>
    public void Clear()
    {
        Count = 0;
        OutputCount = 0;
    }

    internal LlamaBatchNative Native => new()
    {
        NTokens = Count,
        Token = tokens,
        Embd = null,
        Pos = positions,
        NSeqId = sequenceCounts,
        SeqId = sequenceIds,
        Logits = outputs,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        NativeMemory.Free(tokens);
        NativeMemory.Free(positions);
        NativeMemory.Free(sequenceCounts);
        NativeMemory.Free(sequenceIds);
        NativeMemory.Free(sequenceValues);
        NativeMemory.Free(outputs);
    }
}
