using Nuggets.Bench.Report;

namespace Nuggets.Bench.Tests;

/// <summary>How generated blocks (docs/benchmarks.md's results, README.md's summary) replace their old text.</summary>
public class MarkedBlockTests
{
    private const string Begin = "<!-- x:begin (generated) -->";
    private const string End = "<!-- x:end -->";

    [Test]
    public void ReplacesOnlyTheMarkedTextAndKeepsTheRest()
    {
        var page = "intro\n<!-- x:begin (old comment) -->\nold\n<!-- x:end -->\noutro\n";
        var merged = MarkedBlock.Replace(page, Begin, End, $"{Begin}\nnew\n{End}\n");
        Assert.That(merged, Is.EqualTo($"intro\n{Begin}\nnew\n{End}\noutro\n"));
    }

    [Test]
    public void APageWithoutTheMarkersIsNotTouched()
    {
        Assert.That(MarkedBlock.Replace("no markers here\n", Begin, End, "new"), Is.Null);
        Assert.That(MarkedBlock.Replace($"{End}\n{Begin}\n", Begin, End, "new"), Is.Null, "end before begin");
    }
}
