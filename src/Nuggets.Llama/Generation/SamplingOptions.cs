namespace Nuggets.Llama.Generation;

/// <summary>How to pick each generated token.</summary>
public sealed record SamplingOptions
{
    /// <summary>0 = greedy (argmax); otherwise the softmax temperature before top-k/top-p and a seeded draw.</summary>
    public float Temperature { get; init; }

    /// <summary>Keep the k most likely tokens (0 = all).</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Keep the smallest set whose probability reaches p (1 = all).</summary>
    public float TopP { get; init; } = 0.95f;

    /// <summary>Seed of the draw; the same seed, prompt and model give the same text.</summary>
    public uint Seed { get; init; } = 42;

    /// <summary>Most tokens to generate.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Greedy decoding.</summary>
    public static SamplingOptions Greedy { get; } = new();
}
