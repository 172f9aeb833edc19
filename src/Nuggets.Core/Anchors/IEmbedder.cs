namespace Nuggets.Core.Anchors;

/// <summary>Turns texts into fixed-size vectors (mean-pooled hidden states of the scoring model).</summary>
public interface IEmbedder
{
    /// <summary>One embedding per text, in order.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled (checked between decode calls).</exception>
    IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellation = default);
}
