using System.Security.Cryptography;
using System.Text;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;

namespace Nuggets.Core.Anchors;

/// <summary>The anchors every candidate is measured on, in the fixed order pruning walks them.</summary>
/// <param name="Examples">The anchor examples (rows of the dataset, or of the anchors file).</param>
/// <param name="Method">How the anchors were picked.</param>
/// <param name="Seed">Seed of the pick (random, kmeans).</param>
public sealed record AnchorSet(IReadOnlyList<Example> Examples, AnchorMethod Method, int Seed)
{
    /// <summary>Content hashes of the anchors, for excluding them from the candidates.</summary>
    public IReadOnlySet<string> ContentHashes { get; } = Examples.Select(e => e.ContentHash).ToHashSet(StringComparer.Ordinal);

    /// <summary>What k-means clustered to pick these anchors; null for other methods.</summary>
    public AnchorClustering? Clustering { get; init; }

    /// <summary>SHA-256 over the anchors' content hashes in order: one value that names this exact anchor set.</summary>
    public string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join("\n", Examples.Select(e => e.ContentHash)))));
}
