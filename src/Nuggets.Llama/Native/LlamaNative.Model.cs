using System.Runtime.InteropServices;

namespace Nuggets.Llama.Native;

/// <summary>Model properties and GGUF metadata (llama.h "Model").</summary>
internal static unsafe partial class LlamaNative
{
    [LibraryImport(Library, EntryPoint = "llama_model_get_vocab")]
    internal static partial IntPtr ModelGetVocab(SafeLlamaModelHandle model);

    [LibraryImport(Library, EntryPoint = "llama_model_n_ctx_train")]
    internal static partial int ModelNCtxTrain(SafeLlamaModelHandle model);

    [LibraryImport(Library, EntryPoint = "llama_model_n_embd")]
    internal static partial int ModelNEmbd(SafeLlamaModelHandle model);

    [LibraryImport(Library, EntryPoint = "llama_model_n_layer")]
    internal static partial int ModelNLayer(SafeLlamaModelHandle model);

    [LibraryImport(Library, EntryPoint = "llama_model_size")]
    internal static partial ulong ModelSize(SafeLlamaModelHandle model);

    [LibraryImport(Library, EntryPoint = "llama_model_meta_val_str", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ModelMetaValStr(SafeLlamaModelHandle model, string key, byte* buffer, nuint bufferSize);

    [LibraryImport(Library, EntryPoint = "llama_model_chat_template", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* ModelChatTemplate(SafeLlamaModelHandle model, string? name);

    [LibraryImport(Library, EntryPoint = "llama_chat_apply_template")]
    internal static partial int ChatApplyTemplate(byte* template, LlamaChatMessage* messages, nuint count, [MarshalAs(UnmanagedType.U1)] bool addAssistant, byte* buffer, int length);

    [LibraryImport(Library, EntryPoint = "llama_supports_gpu_offload")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool SupportsGpuOffload();
}
