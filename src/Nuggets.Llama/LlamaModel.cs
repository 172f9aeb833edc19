using System.Text;
using Nuggets.Core;
using Nuggets.Llama.Native;

namespace Nuggets.Llama;

/// <summary>A GGUF model loaded through llama.cpp.</summary>
public sealed unsafe class LlamaModel : IDisposable
{
    internal SafeLlamaModelHandle Handle { get; }

    /// <summary>The file the model was loaded from.</summary>
    public string Path { get; }

    private LlamaModel(SafeLlamaModelHandle handle, string path)
    {
        Handle = handle;
        Path = path;
    }

    /// <summary>Loads a model; <paramref name="gpuLayers"/> &lt; 0 offloads every layer when a GPU backend is loaded.</summary>
    /// <exception cref="ModelLoadException">The file is missing or llama.cpp rejects it.</exception>
    public static LlamaModel Load(string path, int gpuLayers = -1)
    {
        LlamaRuntime.Initialize();
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new ModelLoadException($"Model file {fullPath} does not exist.");

        var parameters = LlamaNative.ModelDefaultParams();
        parameters.NGpuLayers = gpuLayers;
        var (handle, problems) = LlamaLog.Capture(() => LlamaNative.ModelLoadFromFile(fullPath, parameters));
        if (handle.IsInvalid)
        {
            handle.Dispose();
            var why = problems.Count == 0 ? "no reason given" : string.Join("; ", problems);
            throw new ModelLoadException($"llama.cpp could not load model {fullPath}: {why}");
        }
        return new LlamaModel(handle, fullPath);
    }

    /// <summary>llama.cpp's one-line description, e.g. <c>llama ?B all F32</c>.</summary>
    public string Description
    {
        get
        {
            var buffer = stackalloc byte[256];
            var length = LlamaNative.ModelDesc(Handle, buffer, 256);
            return length <= 0 ? string.Empty : Encoding.UTF8.GetString(buffer, Math.Min(length, 255));
        }
    }

    /// <summary>Number of parameters.</summary>
    public ulong ParameterCount => LlamaNative.ModelNParams(Handle);

    /// <inheritdoc />
    public void Dispose() => Handle.Dispose();
}

/// <summary>A model file could not be loaded.</summary>
public sealed class ModelLoadException(string message) : NuggetsException(message, ExitCodes.Model);
