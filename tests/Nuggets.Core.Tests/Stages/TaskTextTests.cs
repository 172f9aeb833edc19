using Nuggets.Core.Stages;

namespace Nuggets.Core.Tests.Stages;

public sealed class TaskTextTests
{
    [Test]
    public void A_task_with_an_input_puts_it_below_the_label_and_splits_back()
    {
        var joined = TaskText.Join(" Sort the list. ", " 3, 1, 2\n");
        Assert.That(joined, Is.EqualTo("Sort the list.\nInput:\n3, 1, 2"));
        Assert.That(TaskText.Split(joined), Is.EqualTo(("Sort the list.", "3, 1, 2")));
        Assert.That(TaskText.Join("Say hi.", ""), Is.EqualTo("Say hi."));
        Assert.That(TaskText.Split("Say hi."), Is.EqualTo(("Say hi.", "")));
    }

    [TestCase("Sort it.\ninput:\n3, 1", "Sort it.", "3, 1")]
    [TestCase("Sort it.\n\n### Input:\n3, 1\n", "Sort it.", "3, 1")]
    [TestCase("Sort it.\r\n**Input:**\r\n3, 1\r\n", "Sort it.", "3, 1")]
    [TestCase("Sort it.\nInput:\n", "Sort it.", "")]
    [TestCase("Merge them.\nInput:\nFirst list\nInput:\nSecond list", "Merge them.", "First list\nInput:\nSecond list")]
    public void The_first_label_line_splits_whatever_its_case_or_markdown(string text, string instruction, string input)
    {
        Assert.That(TaskText.Split(text), Is.EqualTo((instruction, input)));
    }

    [TestCase("Return the index of the peak.\nExample:\nInput: [1, 3, 2]\nOutput: 1")]
    [TestCase("Input:\n3, 1")]
    [TestCase("Describe the input: a list of numbers.")]
    public void Labels_inside_a_line_or_with_nothing_before_them_do_not_split(string text)
    {
        Assert.That(TaskText.Split(text), Is.EqualTo((text.Trim(), "")));
    }
}
