using Nuggets.Core.Stages;

namespace Nuggets.Core.Tests.Stages;

public sealed class GenerationCheckTests
{
    [TestCase("  A harder task.  ", true, null, null)]
    [TestCase("A harder task", false, null, "cut off at maxTokens")]
    [TestCase("   ", true, null, "empty")]
    [TestCase("New task:  ", true, null, "empty")]
    [TestCase("broken \uFFFD text", true, null, "invalid characters")]
    [TestCase("--- ... ???", true, null, "no words")]
    [TestCase("new task: sort the list", true, "Sort the list", "unchanged")]
    public void Malformed_generations_are_named(string text, bool stopped, string? source, string? problem)
    {
        Assert.That(GenerationCheck.Problem(new GeneratedText(text, stopped), keepTruncated: false, source), Is.EqualTo(problem));
    }

    [Test]
    public void Truncated_text_is_kept_when_asked_and_failures_pass_through()
    {
        Assert.That(GenerationCheck.Problem(new GeneratedText("half a sent", false), keepTruncated: true), Is.Null);
        Assert.That(GenerationCheck.Problem(new GeneratedText("", false, "prompt longer than the context"), true), Is.EqualTo("prompt longer than the context"));
        Assert.That(GenerationCheck.Clean("New task: Sort it.\n"), Is.EqualTo("Sort it."));
    }
}
