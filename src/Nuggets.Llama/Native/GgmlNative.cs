using System.Runtime.InteropServices;

namespace Nuggets.Llama.Native;

/// <summary>ggml-backend.h functions: backend (CPU variant, CUDA) loading and device enumeration.</summary>
internal static unsafe partial class GgmlNative
{
    internal const string Library = "ggml";
    internal const string BaseLibrary = "ggml-base";

    /// <summary><c>enum ggml_backend_dev_type</c>.</summary>
    internal enum DeviceType
    {
        Cpu = 0,
        Gpu = 1,
        IntegratedGpu = 2,
        Accelerator = 3,
        Meta = 4,
    }

    [LibraryImport(Library, EntryPoint = "ggml_backend_load_all_from_path", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void BackendLoadAllFromPath(string directory);

    /// <summary>Loads one backend library; null when it is missing, broken, or (CPU variants) needs instructions this CPU lacks.</summary>
    [LibraryImport(Library, EntryPoint = "ggml_backend_load", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr BackendLoad(string path);

    [LibraryImport(Library, EntryPoint = "ggml_backend_reg_count")]
    internal static partial nuint RegistryCount();

    [LibraryImport(Library, EntryPoint = "ggml_backend_reg_get")]
    internal static partial IntPtr RegistryGet(nuint index);

    [LibraryImport(BaseLibrary, EntryPoint = "ggml_backend_reg_name")]
    internal static partial byte* RegistryName(IntPtr registry);

    [LibraryImport(Library, EntryPoint = "ggml_backend_dev_count")]
    internal static partial nuint DeviceCount();

    [LibraryImport(Library, EntryPoint = "ggml_backend_dev_get")]
    internal static partial IntPtr DeviceGet(nuint index);

    [LibraryImport(BaseLibrary, EntryPoint = "ggml_backend_dev_name")]
    internal static partial byte* DeviceName(IntPtr device);

    [LibraryImport(BaseLibrary, EntryPoint = "ggml_backend_dev_description")]
    internal static partial byte* DeviceDescription(IntPtr device);

    [LibraryImport(BaseLibrary, EntryPoint = "ggml_backend_dev_type")]
    internal static partial DeviceType DeviceTypeOf(IntPtr device);

    [LibraryImport(BaseLibrary, EntryPoint = "ggml_backend_dev_memory")]
    internal static partial void DeviceMemory(IntPtr device, out nuint free, out nuint total);
}
