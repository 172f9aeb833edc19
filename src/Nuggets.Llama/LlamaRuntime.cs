using Nuggets.Llama.Native;
using Nuggets.Native;

namespace Nuggets.Llama;

/// <summary>
/// Loads llama.cpp once per process: resolves the pinned libraries, routes its logging, initialises the
/// backend and loads every ggml backend (the best CPU variant for this CPU, or the one asked for, and CUDA when
/// present) from the native folder.
/// </summary>
public static unsafe class LlamaRuntime
{
    /// <summary>The llama.cpp build the bindings were written against (<c>llama_version()</c>).</summary>
    public const string ExpectedBuild = "0.5.0";

    private static readonly Lock Gate = new();
    private static LlamaBuildInfo? info;

    /// <summary>The value of <c>model.cpuVariant</c> that lets ggml pick the best CPU variant for this CPU.</summary>
    public const string AutomaticCpuVariant = "auto";

    /// <summary>Initialises llama.cpp (idempotent) and describes what was loaded.</summary>
    /// <param name="cpuVariant">
    /// A ggml CPU variant to load instead of the best one for this CPU (e.g. <c>haswell</c>), so machines with
    /// different CPUs compute the same bits; null or <see cref="AutomaticCpuVariant"/> lets ggml choose.
    /// </param>
    /// <exception cref="NativeRuntimeException">A library is missing, does not load, or is another build; the variant
    /// asked for is not there, cannot run on this CPU, or differs from the one this process already loaded.</exception>
    public static LlamaBuildInfo Initialize(string? cpuVariant = null)
    {
        var pinned = cpuVariant is null || cpuVariant == AutomaticCpuVariant ? null : cpuVariant;
        lock (Gate)
        {
            if (info is not null)
            {
                if (pinned is not null && pinned != info.CpuVariant)
                    throw new NativeRuntimeException(
                        $"model.cpuVariant is '{pinned}', but this process already runs llama.cpp on the '{info.CpuVariant}' CPU variant.");
                return info;
            }
            NativeLibraryLoader.Register(typeof(LlamaRuntime).Assembly);
            // Load in dependency order so a missing file is named precisely, not as a failed dependency of libllama.
            NativeLibraryLoader.Load("ggml-base");
            NativeLibraryLoader.Load("ggml");
            NativeLibraryLoader.Load("llama");

            var version = Utf8.Read(LlamaNative.Version());
            if (!version.Contains(ExpectedBuild, StringComparison.Ordinal))
                throw new NativeRuntimeException(
                    $"{NativeLibraryLoader.FileNameOf("llama")} in {NativeLibraryLoader.NativeDirectory} is llama.cpp build '{version}', " +
                    $"but this tool was written for '{ExpectedBuild}'. Restore the pinned runtime: {NativeLibraryLoader.RestoreCommand}.");

            LlamaLog.Install();
            LlamaNative.BackendInit();
            if (pinned is null) GgmlNative.BackendLoadAllFromPath(NativeLibraryLoader.NativeDirectory);
            else LoadPinned(pinned);

            var registries = new List<string>();
            for (nuint i = 0; i < GgmlNative.RegistryCount(); i++)
                registries.Add(Utf8.Read(GgmlNative.RegistryName(GgmlNative.RegistryGet(i))));

            var devices = new List<ComputeDevice>();
            for (nuint i = 0; i < GgmlNative.DeviceCount(); i++)
            {
                var device = GgmlNative.DeviceGet(i);
                GgmlNative.DeviceMemory(device, out var free, out var total);
                devices.Add(new ComputeDevice(
                    Utf8.Read(GgmlNative.DeviceName(device)),
                    Utf8.Read(GgmlNative.DeviceDescription(device)),
                    GgmlNative.DeviceTypeOf(device) switch
                    {
                        GgmlNative.DeviceType.Cpu => ComputeDeviceKind.Cpu,
                        GgmlNative.DeviceType.Gpu or GgmlNative.DeviceType.IntegratedGpu => ComputeDeviceKind.Gpu,
                        _ => ComputeDeviceKind.Other,
                    },
                    (ulong)free,
                    (ulong)total));
            }
            if (!registries.Contains("CPU"))
                throw new NativeRuntimeException(
                    $"No CPU backend (libggml-cpu-*.so) could be loaded from {NativeLibraryLoader.NativeDirectory}. Restore the pinned runtime: {NativeLibraryLoader.RestoreCommand}.");

            info = new LlamaBuildInfo(version, Utf8.Read(LlamaNative.PrintSystemInfo()), LoadedCpuVariant(), registries, devices);
            return info;
        }
    }

    /// <summary>The one CPU variant asked for, then every other (GPU) backend in the folder.</summary>
    private static void LoadPinned(string variant)
    {
        var directory = NativeLibraryLoader.NativeDirectory;
        var available = Directory.EnumerateFiles(directory, CpuVariantPrefix + "*.so")
            .Select(f => Path.GetFileName(f)[CpuVariantPrefix.Length..^3]).Order(StringComparer.Ordinal).ToList();
        if (!available.Contains(variant))
            throw new NativeRuntimeException(
                $"model.cpuVariant is '{variant}', but {directory} has no {CpuVariantPrefix}{variant}.so. Available: {string.Join(", ", available)} (or '{AutomaticCpuVariant}').");
        if (GgmlNative.BackendLoad(Path.Combine(directory, $"{CpuVariantPrefix}{variant}.so")) == IntPtr.Zero)
            throw new NativeRuntimeException(
                $"model.cpuVariant is '{variant}', but that ggml CPU variant cannot run on this CPU (it needs instructions this CPU lacks). " +
                $"Pick a variant every machine that shares the cache can run, or '{AutomaticCpuVariant}'.");
        foreach (var gpu in Directory.EnumerateFiles(directory, "libggml-cuda*.so")) GgmlNative.BackendLoad(gpu);
    }

    private const string CpuVariantPrefix = "libggml-cpu-";

    /// <summary>
    /// ggml picks the CPU variant by scoring each libggml-cpu-*.so against this CPU; it does not say which
    /// won, so read it from the process's memory map.
    /// </summary>
    private static string LoadedCpuVariant()
    {
        const string prefix = CpuVariantPrefix;
        try
        {
            var variant = File.ReadLines("/proc/self/maps")
                .Select(line => Path.GetFileName(line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? ""))
                .FirstOrDefault(file => file.StartsWith(prefix, StringComparison.Ordinal) && file.EndsWith(".so", StringComparison.Ordinal));
            return variant is null ? "unknown" : variant[prefix.Length..^3];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
