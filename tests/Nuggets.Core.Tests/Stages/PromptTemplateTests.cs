using Nuggets.Core.Data;
using Nuggets.Core.Stages;

namespace Nuggets.Core.Tests.Stages;

public sealed class PromptTemplateTests
{
    [Test]
    public void Placeholders_are_filled_from_the_row_and_braces_escape()
    {
        var row = new Example(0, " Sort the list ", "3, 1, 2", "1, 2, 3");
        Assert.That(PromptTemplate.Fill("Task: {prompt} | {{literal}} | {output}", row),
            Is.EqualTo("Task: Sort the list\n\n3, 1, 2 | {literal} | 1, 2, 3"));
        Assert.That(PromptTemplate.Fill("{prompt}", row with { Input = "" }), Is.EqualTo("Sort the list"));
    }

    [Test]
    public void Text_inside_a_row_is_never_expanded()
    {
        var row = new Example(0, "Explain {output} in C#", "", "secret");
        Assert.That(PromptTemplate.Fill("{instruction}", row), Is.EqualTo("Explain {output} in C#"));
    }

    [Test]
    public void Unknown_placeholders_are_found()
    {
        Assert.That(PromptTemplate.UnknownPlaceholder("{instruction} {answer}", PromptTemplate.RowPlaceholders), Is.EqualTo("answer"));
        Assert.That(PromptTemplate.UnknownPlaceholder("{{answer}} {input}", PromptTemplate.RowPlaceholders), Is.Null);
        Assert.That(LiftPrompts.Judge, Does.Contain("15").And.Contain("25").And.Contain("35"));
        foreach (var builtIn in new[] { LiftPrompts.RewriteGeneral, LiftPrompts.RewriteCode, LiftPrompts.Answer, LiftPrompts.Judge })
            Assert.That(PromptTemplate.UnknownPlaceholder(builtIn, PromptTemplate.RowPlaceholders), Is.Null);
    }
}
