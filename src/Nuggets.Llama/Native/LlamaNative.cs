using System.Runtime.InteropServices;

namespace Nuggets.Llama.Native;

/// <summary>llama.h functions of the pinned build (libllama.v0.5.0.so), grouped by C-API area in partial files.</summary>
internal static unsafe partial class LlamaNative
{
    internal const string Library = "llama";

    [LibraryImport(Library, EntryPoint = "llama_backend_init")]
    internal static partial void BackendInit();

    [LibraryImport(Library, EntryPoint = "llama_version")]
    internal static partial byte* Version();

    [LibraryImport(Library, EntryPoint = "llama_print_system_info")]
    internal static partial byte* PrintSystemInfo();

    [LibraryImport(Library, EntryPoint = "llama_log_set")]
    internal static partial void LogSet(delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback, void* userData);

    [LibraryImport(Library, EntryPoint = "llama_model_default_params")]
    internal static partial LlamaModelParams ModelDefaultParams();

    [LibraryImport(Library, EntryPoint = "llama_model_load_from_file", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial SafeLlamaModelHandle ModelLoadFromFile(string path, LlamaModelParams parameters);

    [LibraryImport(Library, EntryPoint = "llama_model_free")]
    internal static partial void ModelFree(IntPtr model);

    [LibraryImport(Library, EntryPoint = "llama_model_desc")]
    internal static partial int ModelDesc(SafeLlamaModelHandle model, byte* buffer, nuint bufferSize);

    [LibraryImport(Library, EntryPoint = "llama_model_n_params")]
    internal static partial ulong ModelNParams(SafeLlamaModelHandle model);
}
