using System.Numerics.Tensors;

namespace Nuggets.Core.Anchors;

/// <summary>
/// k-means with k-means++ seeding and Lloyd iterations (squared Euclidean distance, TensorPrimitives for the
/// vector maths). Deterministic for a given seed and input order.
/// </summary>
public static class KMeans
{
    /// <summary>
    /// Clusters <paramref name="points"/> into <paramref name="k"/> groups and returns, for each cluster, the index of
    /// the member nearest its centroid (distinct indexes, in cluster order).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled (checked every iteration).</exception>
    public static int[] NearestToCentroids(IReadOnlyList<float[]> points, int k, int seed, int maxIterations = 50, CancellationToken cancellation = default)
    {
        if (points.Count == 0) return [];
        k = Math.Min(k, points.Count);
        var centroids = SeedPlusPlus(points, k, new Random(seed), cancellation);
        var assignment = new int[points.Count];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            cancellation.ThrowIfCancellationRequested();
            var changed = Assign(points, centroids, assignment);
            Update(points, centroids, assignment);
            if (!changed && iteration > 0) break;
        }
        Assign(points, centroids, assignment);
        return PickNearestMembers(points, centroids, assignment);
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

    private static bool Assign(IReadOnlyList<float[]> points, float[][] centroids, int[] assignment)
    {
        var changed = false;
        for (var i = 0; i < points.Count; i++)
        {
            var best = 0;
            var bestDistance = float.MaxValue;
            for (var c = 0; c < centroids.Length; c++)
            {
                var d = Distance(points[i], centroids[c]);
                if (d < bestDistance) (best, bestDistance) = (c, d);
            }
            changed |= assignment[i] != best;
            assignment[i] = best;
        }
        return changed;
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
