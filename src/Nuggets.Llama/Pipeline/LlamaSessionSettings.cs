using Nuggets.Core.Cpu;

namespace Nuggets.Llama.Pipeline;

/// <summary>
/// What <see cref="LlamaSessionFactory"/> needs to open a scoring session on llama.cpp, in the engine's own terms.
/// The CLI's composition root fills it from the <c>model</c> and <c>scoring</c> settings (README.md, "Configuration"),
/// so this project does not depend on how those settings are written, bound or validated.
/// </summary>
public sealed record LlamaSessionSettings
{
    /// <summary>The GGUF model file.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Layers to offload to a GPU; -1 = all when a GPU is found, 0 = CPU only.</summary>
    public int GpuLayers { get; init; }

    /// <summary>ggml CPU variant: <c>auto</c> (the best for this CPU) or a name such as <c>haswell</c>.</summary>
    public string CpuVariant { get; init; } = "auto";

    /// <summary>The longest candidate + anchor pair (in positions) that is scored; 0 = the model's trained context length.</summary>
    public int MaxPairLength { get; init; }

    /// <summary>Most tokens per <c>llama_decode</c> call of text generation (<c>n_batch</c>); scoring has its own fixed layout.</summary>
    public int GenerationBatchSize { get; init; } = 512;

    /// <summary>
    /// How chat rows are rendered: <c>model</c> (or <c>alpaca</c>) uses the model's own chat template when it has one;
    /// any other value names a llama.cpp template.
    /// </summary>
    public string ChatTemplate { get; init; } = "model";

    /// <summary>
    /// Chooses the session's compute threads. Called once, after the runtime is initialised and before the model loads,
    /// so a busy-CPU sample does not see this process's own loading.
    /// </summary>
    public required Func<ThreadChoice> ChooseThreads { get; init; }
}
