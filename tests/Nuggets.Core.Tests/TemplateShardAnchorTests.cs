using Nuggets.Core.Anchors;
using Nuggets.Core.Data;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Prompting;

namespace Nuggets.Core.Tests;

public sealed class TemplateShardAnchorTests
{
    [Test]
    public void Alpaca_template_is_the_reference_format_with_fields_trimmed()
    {
        var withInput = AlpacaTemplate.Format(new Example(0, " Add. ", " 2 and 3 ", " 5 "));
        var withoutInput = AlpacaTemplate.Format(new Example(1, "Say hi.", "  ", "Hi!"));
        Assert.That(withInput.Prompt, Is.EqualTo("Instruction:\nAdd.\nInput:\n2 and 3\nResponse:\n"));
        Assert.That(withInput.FullText, Is.EqualTo("Instruction:\nAdd.\nInput:\n2 and 3\nResponse:\n5"));
        Assert.That(withoutInput.Prompt, Is.EqualTo("Instruction:\nSay hi.\nResponse:\n"));
    }

    [Test]
    public void Content_hash_separates_field_boundaries_and_shapes()
    {
        Assert.That(new Example(0, "ab", "", "c").ContentHash, Is.Not.EqualTo(new Example(0, "a", "", "bc").ContentHash));
        Assert.That(new Example(0, "a", "b", "c").ContentHash, Is.EqualTo(new Example(9, "a", "b", "c").ContentHash), "the row number is not content");
        Assert.That(new Example(0, "", "", "", [new ChatMessage("user", "a")]).ContentHash, Is.Not.EqualTo(new Example(0, "a", "", "").ContentHash));
    }

    [Test]
    public void Shards_partition_the_rows_evenly_enough()
    {
        var hashes = Enumerable.Range(0, 4000).Select(i => new Example(i, $"q{i}", "", $"a{i}").ContentHash).ToArray();
        var sizes = Enumerable.Range(0, 4).Select(s => hashes.Count(h => Shard.Contains(h, s, 4))).ToArray();
        Assert.That(sizes.Sum(), Is.EqualTo(4000));
        Assert.That(hashes.All(h => Enumerable.Range(0, 4).Count(s => Shard.Contains(h, s, 4)) == 1), Is.True);
        Assert.That(sizes, Is.All.InRange(850, 1150));
        Assert.That(Shard.Parse("2/4"), Is.EqualTo((2, 4)));
        Assert.Throws<NuggetsException>(() => Shard.Parse("4/4"));
    }

    [Test]
    public void Random_anchors_depend_on_content_and_seed_not_on_order_or_chunking()
    {
        var examples = Enumerable.Range(0, 500).Select(i => new Example(i, $"q{i}", "", i % 10 == 0 ? "" : $"a{i}")).ToArray();
        bool Eligible(Example e) => e.Output.Length > 0;

        var a = RandomAnchorSampler.Sample(examples.Chunk(64), 20, 7, Eligible);
        var b = RandomAnchorSampler.Sample(examples.Reverse().Chunk(3), 20, 7, Eligible);
        var other = RandomAnchorSampler.Sample(examples.Chunk(64), 20, 8, Eligible);

        Assert.That(a.Select(e => e.ContentHash), Is.EquivalentTo(b.Select(e => e.ContentHash)));
        Assert.That(a.Select(e => e.Row), Is.Ordered, "anchors are in row order");
        Assert.That(a, Has.Count.EqualTo(20).And.All.Matches<Example>(e => e.Output.Length > 0));
        Assert.That(a.Select(e => e.Row), Is.Not.EquivalentTo(other.Select(e => e.Row)));
    }

    [Test]
    public void Random_anchors_never_pick_the_same_content_twice()
    {
        var examples = Enumerable.Range(0, 100).Select(i => new Example(i, $"q{i % 5}", "", "a")).ToArray();
        var picked = RandomAnchorSampler.Sample([examples], 10, 1, _ => true);
        Assert.That(picked, Has.Count.EqualTo(5));
        Assert.That(picked.Select(e => e.ContentHash).Distinct().Count(), Is.EqualTo(5));
    }

    [Test]
    public void Kmeans_picks_one_member_of_each_well_separated_cluster()
    {
        var random = new Random(3);
        var centres = new[] { new[] { 0f, 0f }, new[] { 10f, 0f }, new[] { 0f, 10f } };
        var points = Enumerable.Range(0, 90).Select(i => centres[i % 3].Select(c => c + (float)random.NextDouble()).ToArray()).ToList();

        var picked = KMeans.NearestToCentroids(points, 3, seed: 5);

        Assert.That(picked, Has.Length.EqualTo(3));
        Assert.That(picked.Select(i => i % 3), Is.EquivalentTo(new[] { 0, 1, 2 }));
        Assert.That(KMeans.NearestToCentroids(points, 3, seed: 5), Is.EqualTo(picked), "deterministic for a seed");
    }
}
