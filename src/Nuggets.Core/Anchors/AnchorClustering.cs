namespace Nuggets.Core.Anchors;

/// <summary>What a k-means pick clustered (recorded in the lock file and the manifest).</summary>
/// <param name="Rows">Rows that could be anchors (those with a non-empty response; duplicates included).</param>
/// <param name="Clustered">Rows embedded and clustered: every distinct one, or a seeded sample of <c>anchors.kmeansSample</c>.</param>
/// <param name="Sampled">True when a sample, not every row, was clustered.</param>
/// <param name="Restarts">k-means++ restarts run.</param>
/// <param name="BestRestart">The restart whose clustering was kept (lowest inertia).</param>
/// <param name="Inertia">Its inertia: the sum of squared distances of the clustered rows to their centroid.</param>
/// <param name="Normalized">Whether the embeddings were L2-normalised first.</param>
/// <param name="Dimensions">Embedding width.</param>
public sealed record AnchorClustering(long Rows, int Clustered, bool Sampled, int Restarts, int BestRestart, double Inertia, bool Normalized, int Dimensions)
;
