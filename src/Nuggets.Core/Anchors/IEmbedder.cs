namespace Nuggets.Core.Anchors;

/// <summary>Turns texts into fixed-size vectors (mean-pooled hidden states of the scoring model).</summary>
public interface IEmbedder
{
    /// <summary>One embedding per text, in order.</summary>
    IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts);
}
