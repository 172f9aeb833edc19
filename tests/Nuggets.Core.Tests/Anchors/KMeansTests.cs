using Nuggets.Core.Anchors;

namespace Nuggets.Core.Tests.Anchors;

/// <summary>k-means on clusterings whose answer is known.</summary>
public sealed class KMeansTests
{
    // Three tight, far-apart groups of five points around (0,0), (10,0) and (0,10); each group's centre point is a member.
    private static List<float[]> ThreeGroups()
    {
        var centres = new[] { (0f, 0f), (10f, 0f), (0f, 10f) };
        var offsets = new[] { (0f, 0f), (0.5f, 0f), (-0.5f, 0f), (0f, 0.5f), (0f, -0.5f) };
        return centres.SelectMany(c => offsets.Select(o => new[] { c.Item1 + o.Item1, c.Item2 + o.Item2 })).ToList();
    }

    [Test]
    public void Well_separated_groups_give_each_groups_centre_point_and_the_exact_inertia()
    {
        var result = KMeans.Cluster(ThreeGroups(), 3, seed: 1, restarts: 5);

        // Each group's centroid is its centre point (the offsets cancel), the member nearest it is that point (indexes 0, 5, 10),
        // and the inertia is 3 groups × 4 points × 0.5² = 3.
        Assert.That(result.Medoids.Order(), Is.EqualTo(new[] { 0, 5, 10 }));
        Assert.That(result.Inertia, Is.EqualTo(3.0).Within(1e-9));
    }

    [Test]
    public void Restarts_keep_the_lowest_inertia_of_the_single_runs()
    {
        // Points on a line in four groups clustered into three: seedings land in different local optima.
        var random = new Random(3);
        var points = Enumerable.Range(0, 80).Select(i => new[] { (i % 4) * 5f + (float)random.NextDouble(), (float)random.NextDouble() }).ToList();

        var best = KMeans.Cluster(points, 3, seed: 11, restarts: 8);
        var singles = Enumerable.Range(0, 8).Select(r => KMeans.Cluster(points, 3, seed: 11, restarts: r + 1).Inertia).ToArray();

        Assert.That(best.Inertia, Is.EqualTo(singles.Min()));
        Assert.That(singles, Is.Ordered.Descending, "each added restart can only keep or lower the best inertia");
        Assert.That(KMeans.Cluster(points, 3, seed: 11, restarts: 8), Is.EqualTo(best).Using<KMeansResult>((a, b) =>
            a.Medoids.SequenceEqual(b.Medoids) && a.Inertia == b.Inertia && a.Restart == b.Restart), "deterministic for a seed");
    }

    [Test]
    public void One_restart_is_the_single_clustering_seeded_with_the_configured_seed()
    {
        var points = ThreeGroups();
        Assert.That(KMeans.Cluster(points, 3, seed: 9, restarts: 1).Medoids, Is.EqualTo(KMeans.NearestToCentroids(points, 3, seed: 9)));
    }

    [Test]
    public void Normalize_makes_unit_vectors_and_leaves_zero_vectors()
    {
        var points = new List<float[]> { new[] { 3f, 4f }, new[] { 0f, 0f } };
        KMeans.Normalize(points);
        Assert.That(points[0], Is.EqualTo(new[] { 0.6f, 0.8f }).Within(1e-6f));
        Assert.That(points[1], Is.EqualTo(new[] { 0f, 0f }));
    }

    [Test]
    public void More_clusters_than_points_gives_every_point()
    {
        Assert.That(KMeans.Cluster([new[] { 1f }, new[] { 2f }], 5, seed: 1, restarts: 2).Medoids.Order(), Is.EqualTo(new[] { 0, 1 }));
    }
}
