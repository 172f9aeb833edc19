using Nuggets.Core.Anchors;
using Nuggets.Llama.Embeddings;

namespace Nuggets.Llama.Pipeline;

/// <summary>The pipeline's <see cref="IEmbedder"/>: mean-pooled embeddings, L2-normalised so k-means clusters by direction.</summary>
internal sealed class PipelineEmbedder(LlamaModel model, int threads) : IEmbedder, IDisposable
{
    // Created on first use: most runs (random or file anchors) never embed.
    private LlamaEmbedder? embedder;
    private int threads = threads;

    /// <summary>Sets the compute threads of the embeddings that follow.</summary>
    public void SetThreads(int threads)
    {
        this.threads = threads;
        embedder?.SetThreads(threads);
    }

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellation = default)
    {
        embedder ??= new LlamaEmbedder(model, threads: threads);
        // An embedding describes a text's start as well as all of it; a text longer than the context is embedded by its
        // first tokens (as sentence-embedding tools do) rather than failing the run.
        var limit = model.TrainedContextLength;
        var vectors = embedder.Embed(texts.Select(t => model.Tokenizer.Tokenize(t, addBos: true) is var tokens && tokens.Length > limit ? tokens[..limit] : tokens).ToArray(), cancellation);
        foreach (var vector in vectors)
        {
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
            if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
        }
        return vectors;
    }

    public void Dispose() => embedder?.Dispose();
}
