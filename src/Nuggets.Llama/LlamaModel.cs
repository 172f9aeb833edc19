using System.Text;
using Nuggets.Core;
using Nuggets.Core.Output;
using Nuggets.Llama.Native;

namespace Nuggets.Llama;

/// <summary>A GGUF model loaded through llama.cpp, with its tokenizer and metadata.</summary>
public sealed unsafe class LlamaModel : IDisposable
{
    private ModelMetadata? metadata;

    internal SafeLlamaModelHandle Handle { get; }

    /// <summary>The file the model was loaded from.</summary>
    public string Path { get; }

    /// <summary>Layers offloaded to a GPU (0 on a CPU-only run).</summary>
    public int GpuLayers { get; }

    /// <summary>The model's tokenizer.</summary>
    public LlamaTokenizer Tokenizer { get; }

    private LlamaModel(SafeLlamaModelHandle handle, string path, int gpuLayers)
    {
        Handle = handle;
        Path = path;
        GpuLayers = gpuLayers;
        Tokenizer = new LlamaTokenizer(this, LlamaNative.ModelGetVocab(handle));
    }

    /// <summary>
    /// Loads a model. <paramref name="gpuLayers"/> &lt; 0 offloads every layer when a GPU device was found and
    /// none otherwise; 0 forces the CPU.
    /// </summary>
    /// <exception cref="ModelLoadException">The file is missing or llama.cpp rejects it.</exception>
    public static LlamaModel Load(string path, int gpuLayers = -1)
    {
        var runtime = LlamaRuntime.Initialize();
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new ModelLoadException($"Model file {fullPath} does not exist.");
        GgufHeader.Check(fullPath);

        // Without a GPU device "all layers" means none; saying 0 keeps GpuLayers honest for doctor and fingerprints.
        var effectiveGpuLayers = runtime.Gpus.Any() ? gpuLayers : 0;
        var parameters = LlamaNative.ModelDefaultParams();
        parameters.NGpuLayers = effectiveGpuLayers;
        var (handle, problems) = LlamaLog.Capture(() => LlamaNative.ModelLoadFromFile(fullPath, parameters));
        if (handle.IsInvalid)
        {
            handle.Dispose();
            var why = problems.Count == 0 ? "no reason given" : string.Join("; ", problems);
            throw new ModelLoadException($"llama.cpp could not load model {fullPath}: {why}");
        }
        return new LlamaModel(handle, fullPath, effectiveGpuLayers);
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

    /// <summary>The context length the model was trained with.</summary>
    public int TrainedContextLength => LlamaNative.ModelNCtxTrain(Handle);

    /// <summary>Width of the hidden state (and of pooled embeddings).</summary>
    public int EmbeddingSize => LlamaNative.ModelNEmbd(Handle);

    /// <summary>A GGUF metadata value as text, or null when the key is absent.</summary>
    public string? MetadataValue(string key)
    {
        var size = 256;
        while (true)
        {
            var buffer = new byte[size];
            int length;
            fixed (byte* p = buffer) length = LlamaNative.ModelMetaValStr(Handle, key, p, (nuint)size);
            if (length < 0) return null;
            if (length < size) return Encoding.UTF8.GetString(buffer, 0, length);
            size = length + 1;
        }
    }

    /// <summary>The chat template stored in the model (<c>tokenizer.chat_template</c>), or null when it has none.</summary>
    public string? ChatTemplate
    {
        get
        {
            var template = LlamaNative.ModelChatTemplate(Handle, null);
            return template == null ? null : Utf8.Read(template);
        }
    }

    /// <summary>What the model is, for reports and scorer fingerprints (the SHA-256 is computed once, lazily).</summary>
    public ModelMetadata Metadata => metadata ??= new ModelMetadata(
        MetadataValue("general.architecture") ?? "unknown",
        Description,
        ParameterCount,
        TrainedContextLength,
        Tokenizer.VocabularySize,
        EmbeddingSize,
        ChatTemplate,
        FileHash.Sha256Of(Path));


    /// <inheritdoc />
    public void Dispose() => Handle.Dispose();
}

/// <summary>A model file could not be loaded.</summary>
public sealed class ModelLoadException(string message) : NuggetsException(message, ExitCodes.Model);
