namespace Nuggets.Llama;

/// <summary>What kind of device a ggml backend device is.</summary>
public enum ComputeDeviceKind
{
    /// <summary>The host CPU.</summary>
    Cpu,
    /// <summary>A discrete or integrated GPU (CUDA, ...).</summary>
    Gpu,
    /// <summary>Anything else ggml reports (accelerators, meta devices).</summary>
    Other,
}

/// <summary>One compute device llama.cpp can run on.</summary>
/// <param name="Name">ggml's device name, e.g. <c>CPU</c> or <c>CUDA0</c>.</param>
/// <param name="Description">Human description, e.g. the CPU model or GPU name.</param>
/// <param name="Kind">CPU, GPU or other.</param>
/// <param name="FreeBytes">Free memory the backend reports.</param>
/// <param name="TotalBytes">Total memory the backend reports.</param>
public sealed record ComputeDevice(string Name, string Description, ComputeDeviceKind Kind, ulong FreeBytes, ulong TotalBytes);

/// <summary>The loaded llama.cpp build.</summary>
/// <param name="Version">llama_version() of the loaded library.</param>
/// <param name="SystemInfo">llama_print_system_info(): the CPU features the build uses.</param>
/// <param name="CpuVariant">Which libggml-cpu-*.so ggml chose for this CPU (e.g. <c>haswell</c>).</param>
/// <param name="Backends">Names of the loaded ggml backend registries (CPU, CUDA, ...).</param>
/// <param name="Devices">Every device those backends expose.</param>
public sealed record LlamaBuildInfo(
    string Version,
    string SystemInfo,
    string CpuVariant,
    IReadOnlyList<string> Backends,
    IReadOnlyList<ComputeDevice> Devices)
{
    /// <summary>The GPU devices found (empty on a CPU-only machine).</summary>
    public IEnumerable<ComputeDevice> Gpus => Devices.Where(d => d.Kind == ComputeDeviceKind.Gpu);
}
