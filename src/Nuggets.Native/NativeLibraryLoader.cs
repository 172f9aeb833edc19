using System.Reflection;
using System.Runtime.InteropServices;

namespace Nuggets.Native;

/// <summary>
/// The one place that finds and loads the pinned native runtime (llama.cpp, ggml, DuckDB).
/// Interop assemblies register it with <see cref="Register"/>; it resolves their logical library
/// names ("llama", "ggml", "ggml-base", "duckdb") to files in a single native folder and records
/// every path it tried, so <c>doctor</c> and error messages can say exactly what happened.
/// </summary>
/// <remarks>
/// Loading is explicit and early (<see cref="Load"/>) rather than from a static constructor: a failure
/// then surfaces as a <see cref="NativeRuntimeException"/> with the restore command, not as a
/// TypeInitializationException deep inside a call.
/// </remarks>
public static class NativeLibraryLoader
{
    /// <summary>Environment variable that points the tool at another native folder (e.g. a CUDA build).</summary>
    public const string NativeDirVariable = "NUGGETS_NATIVE_DIR";

    /// <summary>The command that restores the pinned native runtime, quoted in every failure message.</summary>
    public const string RestoreCommand = "eng/restore-native.sh (from a source checkout), or reinstall the tool: dotnet tool update --global Nuggets.Cli";

    /// <summary>Logical name → file name of the pinned CPU build (README.md, "Native runtime").</summary>
    public static IReadOnlyDictionary<string, string> FileNames { get; } = new Dictionary<string, string>
    {
        ["llama"] = "libllama.v0.5.0.so",
        ["ggml"] = "libggml.v0.5.0.so",
        ["ggml-base"] = "libggml-base.so",
        ["duckdb"] = "libduckdb.so",
    };

    /// <summary>The pinned CUDA build names its two front libraries differently (eng/restore-native.sh --cuda).</summary>
    private static readonly IReadOnlyDictionary<string, string> CudaFileNames = new Dictionary<string, string>
    {
        ["llama"] = "libllama.cuda.v0.5.0.so",
        ["ggml"] = "libggml.cuda.v0.5.0.so",
    };

    /// <summary>The file a logical library is loaded from in <see cref="NativeDirectory"/>: the CPU build's name, or the CUDA build's when only that is there.</summary>
    public static string FileNameOf(string logicalName)
    {
        var cpu = FileNames[logicalName];
        return !File.Exists(Path.Combine(NativeDirectory, cpu)) && CudaFileNames.TryGetValue(logicalName, out var cuda) && File.Exists(Path.Combine(NativeDirectory, cuda))
            ? cuda
            : cpu;
    }

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, IntPtr> Loaded = new(StringComparer.Ordinal);
    private static readonly List<string> Attempts = [];
    private static readonly HashSet<Assembly> Registered = [];

    /// <summary>Every path tried so far, with its outcome, in order.</summary>
    public static IReadOnlyList<string> AttemptLog
    {
        get { lock (Gate) { return Attempts.ToArray(); } }
    }

    /// <summary>
    /// The folder the native libraries are loaded from: <c>$NUGGETS_NATIVE_DIR</c> when set, else
    /// <c>runtimes/linux-x64/native/</c> beside the running application.
    /// </summary>
    public static string NativeDirectory
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable(NativeDirVariable);
            return string.IsNullOrWhiteSpace(overridden)
                ? Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native")
                : Path.GetFullPath(overridden);
        }
    }

    /// <summary>Routes the DllImports of <paramref name="assembly"/> through this loader. Idempotent.</summary>
    public static void Register(Assembly assembly)
    {
        lock (Gate)
        {
            if (!Registered.Add(assembly)) return;
        }
        NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => FileNames.ContainsKey(name) ? Load(name) : IntPtr.Zero);
    }

    /// <summary>Loads a logical library from <see cref="NativeDirectory"/>, or throws a message that names the file.</summary>
    /// <exception cref="NativeRuntimeException">The file is missing or cannot be loaded.</exception>
    public static IntPtr Load(string logicalName)
    {
        lock (Gate)
        {
            if (Loaded.TryGetValue(logicalName, out var handle)) return handle;
            if (!FileNames.ContainsKey(logicalName))
                throw new NativeRuntimeException($"'{logicalName}' is not a native library of this tool.");
            var fileName = FileNameOf(logicalName);

            var path = Path.Combine(NativeDirectory, fileName);
            if (!File.Exists(path))
            {
                Attempts.Add($"{path}: not found");
                throw new NativeRuntimeException(
                    $"Native library {fileName} was not found in {NativeDirectory}. Restore the pinned native runtime: {RestoreCommand}.");
            }
            if (!NativeLibrary.TryLoad(path, out handle))
            {
                Attempts.Add($"{path}: found but failed to load");
                throw new NativeRuntimeException(
                    $"Native library {path} exists but could not be loaded (wrong architecture, a missing dependency, or a damaged file; `ldd {path}` shows which). Restore it: {RestoreCommand}.");
            }
            Attempts.Add($"{path}: loaded");
            Loaded[logicalName] = handle;
            return handle;
        }
    }
}
