using Nuggets.Core;
using Nuggets.Core.Cpu;
using Nuggets.Core.Models;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Scoring;
using Nuggets.Llama.Embeddings;
using Nuggets.Llama.Scoring;

namespace Nuggets.Llama.Pipeline;

/// <summary>Opens the pipeline's scoring session on llama.cpp from <see cref="LlamaSessionSettings"/>.</summary>
public static class LlamaSessionFactory
{
    /// <summary>Loads the model and builds the engine, embedder and chat template over it.</summary>
    /// <param name="settings">The model file, backend and session settings.</param>
    /// <param name="hasher">Gives the model file's SHA-256 (default: read the whole file).</param>
    /// <exception cref="NuggetsException">The model is missing or does not load.</exception>
    public static ScoringSession Open(LlamaSessionSettings settings, ModelHasher? hasher = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var info = LlamaRuntime.Initialize(settings.CpuVariant);
        // Chosen before the model loads, so the busy-CPU sample does not see this process's own loading.
        var threads = settings.ChooseThreads();
        var loaded = LlamaModel.Load(settings.ModelPath, settings.GpuLayers);
        try
        {
            var hash = (hasher ?? ModelHasher.Always).Hash(loaded.Path);
            var engine = new LlamaScoringEngine(loaded, new ScoringEngineOptions
            {
                Threads = threads.Threads,
                MaxPairLength = settings.MaxPairLength,
            });
            var embedder = new PipelineEmbedder(loaded, threads.Threads);
            var generator = new PipelineGenerator(loaded, settings.GenerationBatchSize, threads.Threads);
            var chat = ChatTemplateAdapter.TryCreate(loaded, settings.ChatTemplate);
            // Under auto every context of the session follows the load; a set count is never changed.
            var governor = ThreadGovernor.ForThisMachine(threads, count =>
            {
                engine.SetThreads(count);
                embedder.SetThreads(count);
                generator.SetThreads(count);
            });
            var backend = loaded.GpuLayers != 0 && info.Gpus.FirstOrDefault() is { } gpu
                ? $"{gpu.Name}: {gpu.Description} ({(loaded.GpuLayers < 0 ? "all" : loaded.GpuLayers.ToString(System.Globalization.CultureInfo.InvariantCulture))} layers)"
                : $"CPU ({info.CpuVariant}, {engine.Threads} threads)";
            return new ScoringSession(engine, embedder, chat, hash.Sha256, info.Version, backend, NumericBackend(info, loaded.GpuLayers))
            {
                ModelSha256Reused = hash.Reused,
                Generator = generator,
                Owner = new Owned(embedder, loaded),
                Threads = threads,
                Governor = governor,
            };
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>The fingerprint a session opened with <paramref name="settings"/> would score under, without building a context.</summary>
    /// <param name="settings">The session's settings (its thread choice is not called).</param>
    /// <param name="bosPolicy">The BOS policy of the zero-shot sums, part of the fingerprint.</param>
    /// <param name="hasher">Gives the model file's SHA-256 (default: read the whole file).</param>
    public static ScorerFingerprint Fingerprint(LlamaSessionSettings settings, BosPolicy bosPolicy, ModelHasher? hasher = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var info = LlamaRuntime.Initialize(settings.CpuVariant);
        using var loaded = LlamaModel.Load(settings.ModelPath, gpuLayers: 0);
        return new ScorerFingerprint((hasher ?? ModelHasher.Always).Hash(loaded.Path).Sha256, info.Version, bosPolicy, NumericBackend(info, settings.GpuLayers));
    }

    /// <summary>
    /// What of the backend changes a sum's bits: the GPU when layers are offloaded (with the CPU variant, which runs
    /// what stays on the host), else the CPU variant. Threads are left out: they never change a sum.
    /// </summary>
    private static string NumericBackend(LlamaBuildInfo info, int gpuLayers) =>
        gpuLayers != 0 && info.Gpus.FirstOrDefault() is { } gpu
            ? $"{gpu.Name.ToLowerInvariant()}/{gpu.Description}+cpu/{info.CpuVariant}"
            : $"cpu/{info.CpuVariant}";

    private sealed class Owned(params IDisposable[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts) part.Dispose();
        }
    }
}
