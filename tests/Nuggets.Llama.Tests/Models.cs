using Nuggets.Testing.Gguf;

namespace Nuggets.Llama.Tests;

/// <summary>
/// Models shared by the tests and the variant host: the real stories260K (F32, head size 8, so attention takes ggml's
/// one-row kernel) and small generated llamas with F32, F16 and Q8_0 matrices (head size 16: attention takes the tiled
/// kernels, and F16/Q8_0 convert activations before the products), each written once per process.
/// </summary>
internal static class Models
{
    private static readonly Lazy<string> Directory = new(() => TestPaths.NewTempDirectory("llama-models"));
    private static readonly Dictionary<GgufTensorType, string> Generated = [];

    /// <summary>The small generated model spec (ChatML template, vocab 600 — not a power of two on purpose).</summary>
    public static RandomLlamaSpec SmallSpec(GgufTensorType type) => new()
    {
        VocabularySize = 600,
        EmbeddingSize = 64,
        Layers = 2,
        FeedForwardSize = 128,
        Heads = 4,
        KvHeads = 2,
        ContextLength = 1024,
        TensorType = type,
        Seed = 7,
        ChatTemplate = RandomLlamaModel.ChatMlTemplate,
    };

    /// <summary>Path of the small generated model of <paramref name="type"/>, written on first use.</summary>
    public static string Small(GgufTensorType type = GgufTensorType.F32)
    {
        lock (Generated)
        {
            if (!Generated.TryGetValue(type, out var path))
            {
                path = Path.Combine(Directory.Value, $"small-{type}.gguf");
                RandomLlamaModel.Write(path, SmallSpec(type));
                Generated[type] = path;
            }
            return path;
        }
    }

    /// <summary>Names <see cref="Resolve"/> knows, in the order tests and the variant host run them.</summary>
    public static readonly string[] Names = ["stories", "generated-F32", "generated-F16", "generated-Q8_0"];

    public static string Resolve(string name) => name switch
    {
        "stories" => TestPaths.StoriesModel,
        "generated-F32" => Small(GgufTensorType.F32),
        "generated-F16" => Small(GgufTensorType.F16),
        "generated-Q8_0" => Small(GgufTensorType.Q8_0),
        _ => throw new ArgumentException(name),
    };
}
