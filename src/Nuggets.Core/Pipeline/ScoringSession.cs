using Nuggets.Core.Anchors;
using Nuggets.Core.Prompting;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>A loaded scoring model and what the pipeline needs from it.</summary>
/// <param name="Engine">Tokenizer and log-probability sums.</param>
/// <param name="Embedder">Embeddings for k-means anchors (null when the backend has none).</param>
/// <param name="ChatTemplate">Renders chat rows (null when the model has no chat template and none was named).</param>
/// <param name="ModelSha256">SHA-256 of the model file.</param>
/// <param name="LlamaBuild">llama.cpp build.</param>
/// <param name="Backend">Where it runs, e.g. <c>CPU (haswell, 2 threads)</c> or <c>CUDA0: NVIDIA H100</c>.</param>
/// <param name="NumericBackend">What of that changes the bits of a sum, e.g. <c>cpu/haswell</c> (part of the scorer fingerprint).</param>
public sealed record ScoringSession(
    IScoringEngine Engine,
    IEmbedder? Embedder,
    IChatTemplate? ChatTemplate,
    string ModelSha256,
    string LlamaBuild,
    string Backend,
    string NumericBackend) : IDisposable
{
    /// <summary>True when <see cref="ModelSha256"/> came from the model identity store (the file's size, times and inode
    /// matched the last hashing) rather than from reading the file.</summary>
    public bool ModelSha256Reused { get; init; }

    /// <summary>Text generation with the same model, for the LIFT stages (null when the backend has none).</summary>
    public Stages.ITextGenerator? Generator { get; init; }

    /// <summary>The compute threads the session's contexts start with and why; null when the backend does not say (test fakes).</summary>
    public Cpu.ThreadChoice? Threads { get; init; }

    /// <summary>
    /// Follows the load with the session's thread count under <c>model.threads: auto</c> (it sets the count on every
    /// context of the session); null for a set count or when the backend cannot (test fakes). The pipeline polls it
    /// between model calls.
    /// </summary>
    public Cpu.ThreadGovernor? Governor { get; init; }

    /// <summary>Whatever else the session keeps alive (the model, an embedding context); disposed after the engine.</summary>
    public IDisposable? Owner { get; init; }

    /// <inheritdoc />
    public void Dispose()
    {
        Engine.Dispose();
        Owner?.Dispose();
    }
}
