using Nuggets.Core.Stages;

namespace Nuggets.Core.Tests.Stages;

public sealed class NearDuplicateSearchTests
{
    private static float[] Unit(int seed, int dims = 16)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, dims).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static float[] Near(float[] v, int seed, double noise)
    {
        var random = new Random(seed);
        return v.Select(x => (float)(x + noise * (random.NextDouble() * 2 - 1))).ToArray();
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(1024)]
    public void Planted_near_duplicates_point_at_the_first_kept_row_whatever_the_block_size(int blockRows)
    {
        var vectors = Enumerable.Range(0, 20).Select(i => Unit(i)).ToList();
        vectors.Add(Near(vectors[3], 100, 0.01));           // 20 → 3
        vectors.Add(vectors[7].Select(x => x * 5).ToArray()); // 21 → 7 (same direction, other length)
        vectors.Add(Near(vectors[20], 101, 0.001));         // 22 → 3 (20 was dropped, 3 kept)
        vectors.Add(Unit(999));                              // 23 kept

        var duplicateOf = NearDuplicateSearch.Find(vectors, 0.99, blockRows);

        Assert.That(duplicateOf.Take(20), Is.All.EqualTo(-1), "random 16-d vectors are far apart");
        Assert.That(duplicateOf[20..], Is.EqualTo(new[] { 3, 7, 3, -1 }));
    }

    [Test]
    public void A_threshold_of_one_finds_only_identical_directions()
    {
        var a = Unit(1);
        var duplicateOf = NearDuplicateSearch.Find([a, Near(a, 2, 0.05), (float[])a.Clone()], 1.0);
        Assert.That(duplicateOf, Is.EqualTo(new[] { -1, -1, 0 }));
    }
}
