using System.Numerics.Tensors;

namespace Nuggets.Core.Anchors;

/// <summary>One k-means clustering: the member nearest each centroid, and how tight the clusters are.</summary>
/// <param name="Medoids">For each cluster (in cluster order), the index of the member nearest its centroid; distinct.</param>
/// <param name="Inertia">Sum of squared distances of the points to their cluster's centroid (lower is tighter).</param>
/// <param name="Restart">Which restart (0-based) gave this clustering.</param>
public sealed record KMeansResult(int[] Medoids, double Inertia, int Restart);

/// <summary>
/// k-means as scikit-learn runs it by default before version 1.4 (what the Nuggets authors had): k-means++ seeding,
/// Lloyd iterations (squared Euclidean distance, TensorPrimitives for the vector maths), several restarts and the
/// lowest inertia kept. Deterministic for a given seed and input order on one machine; SIMD width can change the last
/// bits of a distance between CPUs, which is why picked anchors are pinned in a lock file (docs/scoring.md, "Anchors").
/// </summary>
public static class KMeans
{
    /// <summary>
    /// Clusters <paramref name="points"/> into <paramref name="k"/> groups <paramref name="restarts"/> times (restart 0
    /// seeded with <paramref name="seed"/>, restart r with a value derived from it) and returns the clustering with the
    /// lowest inertia (the earliest on a tie).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled (checked every iteration).</exception>
    public static KMeansResult Cluster(IReadOnlyList<float[]> points, int k, int seed, int restarts = 1, int maxIterations = 300, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(restarts, 1);
        if (points.Count == 0) return new KMeansResult([], 0, 0);
        k = Math.Min(k, points.Count);
        KMeansResult? best = null;
        for (var restart = 0; restart < restarts; restart++)
        {
            var run = ClusterOnce(points, k, RestartSeed(seed, restart), maxIterations, cancellation) with { Restart = restart };
            if (best is null || run.Inertia < best.Inertia) best = run;
        }
        return best!;
    }

    /// <summary>
    /// One restart: k-means++ seeding from <paramref name="seed"/>, Lloyd iterations until no point changes cluster, the
    /// member nearest each centroid.
    /// </summary>
    public static int[] NearestToCentroids(IReadOnlyList<float[]> points, int k, int seed, int maxIterations = 300, CancellationToken cancellation = default) =>
        Cluster(points, k, seed, 1, maxIterations, cancellation).Medoids;

    /// <summary>L2-normalises each vector in place (a zero vector stays zero).</summary>
    public static void Normalize(IReadOnlyList<float[]> points)
    {
        foreach (var point in points)
        {
            var norm = TensorPrimitives.Norm(point);
            if (norm > 0) TensorPrimitives.Divide(point, norm, point);
        }
    }

    // Restart 0 keeps the configured seed itself, so one restart reproduces the single clustering of earlier versions.
    private static int RestartSeed(int seed, int restart) =>
        restart == 0 ? seed : (int)(SeededOrder.Priority(seed, $"kmeans-restart-{restart}") >> 33);

    private static KMeansResult ClusterOnce(IReadOnlyList<float[]> points, int k, int seed, int maxIterations, CancellationToken cancellation)
    {
        var centroids = SeedPlusPlus(points, k, new Random(seed), cancellation);
        var assignment = new int[points.Count];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            cancellation.ThrowIfCancellationRequested();
            var changed = Assign(points, centroids, assignment);
            if (!changed && iteration > 0) break;
            Update(points, centroids, assignment);
        }
        Assign(points, centroids, assignment);
        var inertia = 0.0;
        for (var i = 0; i < points.Count; i++) inertia += Distance(points[i], centroids[assignment[i]]);
        return new KMeansResult(PickNearestMembers(points, centroids, assignment), inertia, 0);
    }

    private static float[][] SeedPlusPlus(IReadOnlyList<float[]> points, int k, Random random, CancellationToken cancellation)
    {
        var centroids = new float[k][];
        centroids[0] = (float[])points[random.Next(points.Count)].Clone();
        var nearest = points.Select(p => Distance(p, centroids[0])).ToArray();
        for (var c = 1; c < k; c++)
        {
            cancellation.ThrowIfCancellationRequested();
            var total = nearest.Sum(d => (double)d);
            var next = 0;
            if (total > 0)
            {
                var target = random.NextDouble() * total;
                for (double cumulative = 0; next < points.Count - 1; next++)
                {
                    cumulative += nearest[next];
                    if (cumulative >= target) break;
                }
            }
            else
            {
                next = random.Next(points.Count); // every point coincides with a centroid already
            }
            centroids[c] = (float[])points[next].Clone();
            for (var i = 0; i < points.Count; i++) nearest[i] = Math.Min(nearest[i], Distance(points[i], centroids[c]));
        }
        return centroids;
    }

    // Each point's nearest centroid depends on that point alone, so the points are split across threads with the
    // same result as a sequential pass.
    private static bool Assign(IReadOnlyList<float[]> points, float[][] centroids, int[] assignment)
    {
        var changed = 0;
        Parallel.For(0, points.Count, () => false, (i, _, changedHere) =>
        {
            var best = 0;
            var bestDistance = float.MaxValue;
            for (var c = 0; c < centroids.Length; c++)
            {
                var d = Distance(points[i], centroids[c]);
                if (d < bestDistance) (best, bestDistance) = (c, d);
            }
            changedHere |= assignment[i] != best;
            assignment[i] = best;
            return changedHere;
        }, changedHere => { if (changedHere) Interlocked.Exchange(ref changed, 1); });
        return changed == 1;
    }

    private static void Update(IReadOnlyList<float[]> points, float[][] centroids, int[] assignment)
    {
        var dimension = centroids[0].Length;
        var sums = centroids.Select(_ => new float[dimension]).ToArray();
        var counts = new int[centroids.Length];
        for (var i = 0; i < points.Count; i++)
        {
            TensorPrimitives.Add(sums[assignment[i]], points[i], sums[assignment[i]]);
            counts[assignment[i]]++;
        }
        for (var c = 0; c < centroids.Length; c++)
        {
            // An empty cluster keeps its centroid; k-means++ seeding makes this rare.
            if (counts[c] > 0) TensorPrimitives.Divide(sums[c], counts[c], centroids[c]);
        }
    }

    private static int[] PickNearestMembers(IReadOnlyList<float[]> points, float[][] centroids, int[] assignment)
    {
        var picked = new List<int>();
        var taken = new HashSet<int>();
        for (var c = 0; c < centroids.Length; c++)
        {
            var best = -1;
            var bestDistance = float.MaxValue;
            for (var i = 0; i < points.Count; i++)
            {
                if (assignment[i] != c || taken.Contains(i)) continue;
                var d = Distance(points[i], centroids[c]);
                if (d < bestDistance) (best, bestDistance) = (i, d);
            }
            if (best >= 0 && taken.Add(best)) picked.Add(best);
        }
        return picked.ToArray();
    }

    private static float Distance(float[] a, float[] b)
    {
        var d = TensorPrimitives.Distance(a, b);
        return d * d;
    }
}
