using Nuggets.Core.Configuration;
using Nuggets.Core.Cpu;
using Nuggets.Llama.Pipeline;

namespace Nuggets.Cli.Composition;

/// <summary>
/// Adapts the <c>model</c> and <c>scoring</c> settings (README.md, "Configuration") to llama.cpp's
/// <see cref="LlamaSessionSettings"/>. It lives in the composition root so Nuggets.Llama does not depend on the
/// configuration model.
/// </summary>
internal static class LlamaSettings
{
    /// <summary>The session settings of <paramref name="model"/> and <paramref name="scoring"/>.</summary>
    public static LlamaSessionSettings From(ModelOptions model, ScoringOptions scoring) => new()
    {
        ModelPath = model.Path!,
        GpuLayers = model.GpuLayers,
        CpuVariant = model.CpuVariant,
        // A candidate + anchor pair longer than model.contextLength is skipped with a reason (README.md, "Troubleshooting").
        MaxPairLength = model.ContextLength,
        GenerationBatchSize = model.BatchSize,
        ChatTemplate = scoring.Template,
        // model.threads: auto reads the machine when the session opens, not when the settings are made.
        ChooseThreads = () => ThreadPolicy.Choose(model.Threads),
    };
}
