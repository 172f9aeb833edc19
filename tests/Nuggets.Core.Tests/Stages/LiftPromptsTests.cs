using System.Text.RegularExpressions;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Stages;

namespace Nuggets.Core.Tests.Stages;

/// <summary>The built-in prompts' structure (placeholders, turns, calibration), never their prose.</summary>
public sealed class LiftPromptsTests
{
    private static string[] Placeholders(string template) =>
        Regex.Matches(template.Replace("{{", "", StringComparison.Ordinal).Replace("}}", "", StringComparison.Ordinal), @"\{([a-z_]+)\}")
            .Select(m => m.Groups[1].Value).ToArray();

    [Test]
    public void Rewrites_show_the_task_in_the_splittable_shape_and_the_answer_is_the_task_alone()
    {
        foreach (var variant in Enum.GetValues<ExpandVariant>())
        {
            var rewrite = LiftPrompts.Rewrite(variant);
            Assert.That(Placeholders(rewrite), Is.EqualTo(new[] { "task" }), $"{variant}");
            Assert.That(rewrite.TrimEnd(), Does.EndWith("{task}"), "the task comes last");
            Assert.That(rewrite, Does.Contain($"\"{TaskText.InputLabel}\""), "asks for an input part under the label");
        }
        Assert.That(LiftPrompts.Answer, Is.EqualTo("{task}"), "no wrapper around the rewritten task");
    }

    [Test]
    public void Rewrites_list_the_authors_ways_general_three_and_code_all_five()
    {
        static int Numbered(string text) => Regex.Matches(text, @"^\d\. ", RegexOptions.Multiline).Count;
        Assert.That(Numbered(LiftPrompts.RewriteGeneral), Is.EqualTo(3));
        Assert.That(Numbered(LiftPrompts.RewriteCode), Is.EqualTo(5), "every code method in every call; the model picks");
    }

    [Test]
    public void The_judge_has_a_system_turn_the_rubric_and_the_row_last()
    {
        Assert.That(LiftPrompts.JudgeSystem, Is.Not.Empty);
        Assert.That(Placeholders(LiftPrompts.JudgeSystem), Is.Empty);
        Assert.That(Placeholders(LiftPrompts.Judge), Is.EqualTo(new[] { "task", "output" }));
        Assert.That(LiftPrompts.Judge.TrimEnd(), Does.EndWith("{output}"));
        foreach (var points in new[] { JudgeRubric.ClarityPoints, JudgeRubric.DifficultyPoints, JudgeRubric.ExplanationsPoints, JudgeRubric.AccuracyPoints })
            Assert.That(LiftPrompts.Judge, Does.Contain($"up to {points} points"));
        Assert.That(JudgeRubric.ClarityPoints + JudgeRubric.DifficultyPoints + JudgeRubric.ExplanationsPoints + JudgeRubric.AccuracyPoints, Is.EqualTo(100));
    }

    [Test]
    public void The_judge_is_calibrated_with_scored_examples_below_full_marks()
    {
        var examples = JudgeRubric.Examples;
        Assert.That(examples, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(examples.Any(e => e.Input.Length > 0), Is.True, "one example has an input");
        Assert.That(examples.Select(e => e.Total).Distinct().Count(), Is.EqualTo(examples.Count), "spread over the scale");
        foreach (var e in examples)
        {
            Assert.That((e.Clarity, e.Difficulty, e.Explanations, e.Accuracy), Is.EqualTo((
                Math.Clamp(e.Clarity, 0, JudgeRubric.ClarityPoints), Math.Clamp(e.Difficulty, 0, JudgeRubric.DifficultyPoints),
                Math.Clamp(e.Explanations, 0, JudgeRubric.ExplanationsPoints), Math.Clamp(e.Accuracy, 0, JudgeRubric.AccuracyPoints))));
            Assert.That(e.Total, Is.LessThan(100), "no full marks");
            // Each example is shown in the row's shape, and its score line starts with the total: the number the stage reads.
            Assert.That(LiftPrompts.Judge, Does.Contain($"Instruction:\n{TaskText.Join(e.Instruction, e.Input)}\n\nResponse:\n{e.Response}\n"));
            var scoreLine = $"Score: {e.Total} (";
            Assert.That(LiftPrompts.Judge, Does.Contain(scoreLine));
            Assert.That(JudgeScoring.Parse(scoreLine).Score, Is.EqualTo(e.Total));
        }
        var filled = PromptTemplate.Fill(LiftPrompts.Judge, new Example(0, "Name a fruit.", "", "Apple."));
        Assert.That(filled.IndexOf("Example 1", StringComparison.Ordinal), Is.LessThan(filled.IndexOf("Name a fruit.", StringComparison.Ordinal)), "examples before the row");
    }
}
