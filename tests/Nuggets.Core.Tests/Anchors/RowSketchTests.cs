using System.Security.Cryptography;
using System.Text;
using Nuggets.Core.Anchors;

namespace Nuggets.Core.Tests.Anchors;

/// <summary>The bottom-k sketch that tells how much of the data is new since the anchors were pinned.</summary>
public sealed class RowSketchTests
{
    private static string Hash(int i) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"row {i}")));

    private static RowSketch Of(IEnumerable<int> rows)
    {
        var sketch = new RowSketch();
        foreach (var row in rows) sketch.Add(Hash(row));
        return sketch;
    }

    [Test]
    public void Below_the_sketch_size_the_share_is_exact()
    {
        var pinned = Of(Enumerable.Range(0, 100));
        Assert.That(Of(Enumerable.Range(0, 100)).NewShareAgainst(pinned), Is.Zero);
        Assert.That(Of(Enumerable.Range(0, 125)).NewShareAgainst(pinned), Is.EqualTo(25.0 / 125));
        Assert.That(Of(Enumerable.Range(50, 100)).NewShareAgainst(pinned), Is.EqualTo(0.5));
        Assert.That(Of(Enumerable.Range(1000, 10)).NewShareAgainst(pinned), Is.EqualTo(1.0));
    }

    [Test]
    public void Duplicates_count_once()
    {
        Assert.That(Of([.. Enumerable.Range(0, 10), .. Enumerable.Range(0, 10)]).ToText(), Is.EqualTo(Of(Enumerable.Range(0, 10)).ToText()));
    }

    // With k = 256 the estimate is a proportion over about 256 known values: its standard error at p = 0.5 is
    // √(0.25/256) ≈ 0.031; six standard errors (0.19) bound it with a failure chance far below 1e-6 for any hash.
    [TestCase(10_000, 10_000, 0.5)]
    [TestCase(20_000, 5_000, 0.2)]
    public void Above_the_sketch_size_the_estimate_is_within_six_standard_errors(int pinnedRows, int newRows, double expected)
    {
        var pinned = Of(Enumerable.Range(0, pinnedRows));
        var today = Of(Enumerable.Range(0, pinnedRows + newRows));
        var sigma = Math.Sqrt(expected * (1 - expected) / RowSketch.Size);
        Assert.That(today.NewShareAgainst(pinned), Is.EqualTo(expected).Within(6 * sigma));
    }

    [Test]
    public void The_text_form_round_trips_and_rejects_bad_values()
    {
        var sketch = Of(Enumerable.Range(0, 300));
        Assert.That(sketch.ToText().Split(' '), Has.Length.EqualTo(RowSketch.Size).And.All.Length.EqualTo(16));
        Assert.That(RowSketch.FromText(sketch.ToText()).ToText(), Is.EqualTo(sketch.ToText()));
        Assert.Throws<FormatException>(() => RowSketch.FromText("xyz"));
        Assert.Throws<FormatException>(() => RowSketch.FromText(sketch.ToText() + " 0000000000000000"));
    }
}
