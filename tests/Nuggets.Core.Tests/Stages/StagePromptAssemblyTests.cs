using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Stages;

namespace Nuggets.Core.Tests.Stages;

/// <summary>What the expand and judge stages send to the model and make of the replies, on a fake generator.</summary>
public sealed class StagePromptAssemblyTests
{
    private static readonly List<StageRow> Seeds =
        [new StageRow(new Example(0, "Sort the numbers.", "3, 1, 2", "1, 2, 3"), 0, "input", 0)];

    [Test]
    public void A_rewrite_with_an_input_part_becomes_instruction_and_input_and_is_answered_as_it_is()
    {
        var generator = new FakeGenerator();
        generator.Scripted.Add(("Sort the numbers.\nInput:\n3, 1, 2", new GeneratedText("Sort the numbers by their digit sum.\nInput:\n12, 30, 4", true)));
        var (output, _) = StageRunTests.Run(new ExpandStageOptions { KeepInput = false }, Seeds, new InMemoryStageCache(), generator);

        Assert.That(generator.Requests[0].Prompt.TrimEnd(), Does.EndWith("Sort the numbers.\nInput:\n3, 1, 2"), "the seed task, input under its label");
        Assert.That(generator.Requests[1].Prompt, Is.EqualTo("Sort the numbers by their digit sum.\nInput:\n12, 30, 4"), "the rewritten task, no wrapper");
        Assert.That(generator.Requests.Select(r => r.System), Is.All.Null, "expansion has no system turn");
        var made = output.Rows.Single().Example;
        Assert.That((made.Instruction, made.Input), Is.EqualTo(("Sort the numbers by their digit sum.", "12, 30, 4")));
        Assert.That(made.Output, Is.Not.Empty);
    }

    [Test]
    public void A_rewrite_that_repeats_its_task_is_dropped_as_unchanged()
    {
        var generator = new FakeGenerator();
        generator.Scripted.Add(("3, 1, 2", new GeneratedText("Sort the numbers.\nInput:\n3, 1, 2", true)));
        var (output, _) = StageRunTests.Run(new ExpandStageOptions { KeepInput = false }, Seeds, new InMemoryStageCache(), generator);
        Assert.That(output.Dropped, Is.EquivalentTo(new Dictionary<string, long> { ["rewrite: unchanged"] = 1 }));
    }

    [Test]
    public void The_code_variant_sends_its_own_rewrite_prompt()
    {
        var general = new FakeGenerator();
        var code = new FakeGenerator();
        StageRunTests.Run(new ExpandStageOptions(), Seeds, new InMemoryStageCache(), general);
        StageRunTests.Run(new ExpandStageOptions { Variant = ExpandVariant.Code }, Seeds, new InMemoryStageCache(), code);
        Assert.That(general.Requests[0].Prompt, Is.EqualTo(PromptTemplate.Fill(LiftPrompts.RewriteGeneral, Seeds[0].Example)));
        Assert.That(code.Requests[0].Prompt, Is.EqualTo(PromptTemplate.Fill(LiftPrompts.RewriteCode, Seeds[0].Example)));
    }

    [Test]
    public void The_judge_sends_its_system_turn_and_the_row_in_the_calibrated_prompt()
    {
        var generator = new FakeGenerator();
        StageRunTests.Run(new JudgeStageOptions(), Seeds, new InMemoryStageCache(), generator);
        var request = generator.Requests.Single();

        Assert.That(request.System, Is.EqualTo(LiftPrompts.JudgeSystem));
        Assert.That(request.Prompt, Is.EqualTo(PromptTemplate.Fill(LiftPrompts.Judge, Seeds[0].Example)));
        Assert.That(request.Prompt.TrimEnd(), Does.EndWith("Sort the numbers.\nInput:\n3, 1, 2\n\nResponse:\n1, 2, 3"));
    }

    [Test]
    public void The_judges_system_prompt_is_a_template_and_empty_means_none()
    {
        var custom = new FakeGenerator();
        StageRunTests.Run(new JudgeStageOptions { SystemPrompt = "Judge answers to '{instruction}'." }, Seeds, new InMemoryStageCache(), custom);
        Assert.That(custom.Requests.Single().System, Is.EqualTo("Judge answers to 'Sort the numbers.'."));

        var none = new FakeGenerator();
        StageRunTests.Run(new JudgeStageOptions { SystemPrompt = "" }, Seeds, new InMemoryStageCache(), none);
        Assert.That(none.Requests.Single().System, Is.Null);
    }
}
