using System.Runtime.InteropServices;

namespace Nuggets.Llama.Native;

/// <summary>Contexts, decoding, outputs and the KV memory (llama.h "Context", "Decoding", "Memory").</summary>
internal static unsafe partial class LlamaNative
{
    [LibraryImport(Library, EntryPoint = "llama_context_default_params")]
    internal static partial LlamaContextParams ContextDefaultParams();

    [LibraryImport(Library, EntryPoint = "llama_init_from_model")]
    internal static partial SafeLlamaContextHandle InitFromModel(SafeLlamaModelHandle model, LlamaContextParams parameters);

    [LibraryImport(Library, EntryPoint = "llama_free")]
    internal static partial void Free(IntPtr context);

    [LibraryImport(Library, EntryPoint = "llama_n_ctx")]
    internal static partial uint NCtx(SafeLlamaContextHandle context);

    [LibraryImport(Library, EntryPoint = "llama_n_batch")]
    internal static partial uint NBatch(SafeLlamaContextHandle context);

    [LibraryImport(Library, EntryPoint = "llama_n_ubatch")]
    internal static partial uint NUbatch(SafeLlamaContextHandle context);

    [LibraryImport(Library, EntryPoint = "llama_n_seq_max")]
    internal static partial uint NSeqMax(SafeLlamaContextHandle context);

    [LibraryImport(Library, EntryPoint = "llama_set_n_threads")]
    internal static partial void SetNThreads(SafeLlamaContextHandle context, int threads, int threadsBatch);

    [LibraryImport(Library, EntryPoint = "llama_n_threads")]
    internal static partial int NThreads(SafeLlamaContextHandle context);

    [LibraryImport(Library, EntryPoint = "llama_n_threads_batch")]
    internal static partial int NThreadsBatch(SafeLlamaContextHandle context);

    [LibraryImport(Library, EntryPoint = "llama_decode")]
    internal static partial int Decode(SafeLlamaContextHandle context, LlamaBatchNative batch);

    [LibraryImport(Library, EntryPoint = "llama_get_logits_ith")]
    internal static partial float* GetLogitsIth(SafeLlamaContextHandle context, int index);

    [LibraryImport(Library, EntryPoint = "llama_get_embeddings_seq")]
    internal static partial float* GetEmbeddingsSeq(SafeLlamaContextHandle context, int sequence);

    [LibraryImport(Library, EntryPoint = "llama_get_memory")]
    internal static partial IntPtr GetMemory(SafeLlamaContextHandle context);

    [LibraryImport(Library, EntryPoint = "llama_memory_clear")]
    internal static partial void MemoryClear(IntPtr memory, [MarshalAs(UnmanagedType.U1)] bool data);

    [LibraryImport(Library, EntryPoint = "llama_memory_seq_rm")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool MemorySeqRm(IntPtr memory, int sequence, int p0, int p1);

    [LibraryImport(Library, EntryPoint = "llama_memory_seq_cp")]
    internal static partial void MemorySeqCp(IntPtr memory, int source, int destination, int p0, int p1);

    [LibraryImport(Library, EntryPoint = "llama_memory_seq_pos_max")]
    internal static partial int MemorySeqPosMax(IntPtr memory, int sequence);
}
