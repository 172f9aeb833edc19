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
        Assert.That(PromptTemplate.Fill("{task}", row), Is.EqualTo("Sort the list\nInput:\n3, 1, 2"));
        Assert.That(PromptTemplate.Fill("{task}", row with { Input = " " }), Is.EqualTo("Sort the list"));
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
        Assert.That(PromptTemplate.UnknownPlaceholder("{task}", PromptTemplate.RowPlaceholders), Is.Null);
    }
}
