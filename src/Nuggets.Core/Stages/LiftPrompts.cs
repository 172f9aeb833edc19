using Nuggets.Core.Configuration;

namespace Nuggets.Core.Stages;

/// <summary>
/// The built-in prompts of the LIFT stages (arXiv 2312.11508), written for this tool in its own words after the shape
/// of the LIFT authors' prompts. Expansion: a rewrite call (the task under the variant's list of ways to make it harder)
/// and an answer call that sends the rewritten task as it is. Judge: a system turn, then LIFT's rubric, scored
/// calibration examples (<see cref="JudgeRubric"/>) and the row. Tasks appear in the <c>{task}</c> shape
/// (<see cref="TaskText"/>), so a rewrite with an input part splits back into instruction and input.
/// </summary>
public static class LiftPrompts
{
    // Local models tend to wrap a rewrite in commentary; asking for the task alone, with its input under the label,
    // lets the reply be used as it is and split.
    private const string RewriteReply =
        "Reply with the rewritten task only. If it comes with input data, put that data after a line that says \"Input:\".\n\n";

    /// <summary>Rewrite prompt of the <c>general</c> variant: the authors' three ways (depth and breadth, specific concepts, multi-step reasoning).</summary>
    public const string RewriteGeneral =
        "You refine prompts. Turn the task below into a more intricate version that would challenge capable AI assistants, " +
        "possibly giving it a structured form such as a list or a table of data. It must stay sensible, clear, and " +
        "answerable by a person. Ways to do this include, among others:\n" +
        "1. Ask about the subject in more depth and more breadth.\n" +
        "2. Swap general concepts for more specific ones.\n" +
        "3. If a few simple thoughts would settle it, make it explicitly call for reasoning in several steps.\n" +
        RewriteReply +
        "Task:\n{task}\n";

    /// <summary>
    /// Rewrite prompt of the <c>code</c> variant. Like the authors' prompt, it lists all five ways at once and leaves
    /// the choice to the model, rather than assigning one per row.
    /// </summary>
    public const string RewriteCode =
        "Make the programming task below somewhat harder. Ways to do this include, among others:\n" +
        "1. Add new constraints and requirements, about ten words more.\n" +
        "2. Swap a commonly used requirement for a less common, more specific one.\n" +
        "3. If a few logical steps would solve it, require more steps of reasoning.\n" +
        "4. Show a piece of faulty code as a reference, to mislead.\n" +
        "5. Demand tighter time or space complexity, but only once in a while.\n" +
        RewriteReply +
        "Task:\n{task}\n";

    /// <summary>Answer prompt: the rewritten task as it is, with no wrapper (a wrapper asking for explanations would inflate the judge's explanations part).</summary>
    public const string Answer = "{task}";

    /// <summary>System turn of the judge.</summary>
    public const string JudgeSystem =
        "You give feedback on the work of an AI assistant. The assistant was given an instruction, sometimes with an input, and wrote a response.";

    /// <summary>
    /// Judge prompt: LIFT's rubric, scored calibration examples, the request to avoid full marks, and the row. The reply
    /// starts with the total, so the first integer is the score and a short <c>maxTokens</c> only cuts the explanation.
    /// </summary>
    public static readonly string Judge =
        "Score the response to the instruction below out of 100, as the sum of four parts:\n" +
        $"1. Clarity (up to {JudgeRubric.ClarityPoints} points): how clearly the instruction states its problem.\n" +
        $"2. Difficulty (up to {JudgeRubric.DifficultyPoints} points): how hard the problem is; harder scores higher.\n" +
        $"3. Explanations (up to {JudgeRubric.ExplanationsPoints} points): how fully the response explains itself, code included.\n" +
        $"4. Accuracy (up to {JudgeRubric.AccuracyPoints} points): how correct the response's solution is.\n\n" +
        "Scored examples to calibrate against:\n\n" +
        JudgeRubric.ExamplesText() +
        "Now score the instruction and response below the same way, part by part, and add the parts up. Try hard not to " +
        "give full marks. Write the total alone on the first line, then explain the parts briefly on the next line.\n\n" +
        "Instruction:\n{task}\n\nResponse:\n{output}\n";

    /// <summary>The rewrite prompt of an expand variant.</summary>
    public static string Rewrite(ExpandVariant variant) => variant switch
    {
        ExpandVariant.General => RewriteGeneral,
        ExpandVariant.Code => RewriteCode,
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };
}
