using Nuggets.Core.Configuration;

namespace Nuggets.Core.Stages;

/// <summary>
/// The built-in prompts of the LIFT stages (arXiv 2312.11508), written for this tool after the paper's description:
/// the rewrite asks for depth and breadth, specific concepts instead of general ones and multi-step reasoning (the code
/// variant adds constraints and complexity); the judge uses LIFT's rubric (clarity 15, difficulty 25, explanations 25,
/// accuracy 35). Each is the user turn, rendered with the model's chat template.
/// </summary>
public static class LiftPrompts
{
    /// <summary>Rewrite prompt of the <c>general</c> variant.</summary>
    public const string RewriteGeneral =
        "Rewrite the task below into a harder, more specific version of it.\n" +
        "- Add depth and breadth: ask about more aspects of the topic, and go deeper into each.\n" +
        "- Replace general concepts with more specific ones.\n" +
        "- Make answering it require several steps of reasoning.\n" +
        "The new task must be self-contained, sensible and answerable by a knowledgeable person, and at most 40 words longer. " +
        "Reply with the new task only.\n\n" +
        "Task:\n{prompt}\n\nNew task:\n";

    /// <summary>Rewrite prompt of the <c>code</c> variant.</summary>
    public const string RewriteCode =
        "Rewrite the programming task below into a harder version of it.\n" +
        "- Add constraints and requirements: edge cases, input validation, limits on time or memory complexity.\n" +
        "- Increase its complexity: more steps, a more specific data structure or algorithm, a less common requirement.\n" +
        "- Make solving it require several steps of reasoning.\n" +
        "The new task must be self-contained and solvable, and at most 40 words longer. Reply with the new task only.\n\n" +
        "Task:\n{prompt}\n\nNew task:\n";

    /// <summary>Answer prompt: the rewritten task, answered on its own.</summary>
    public const string Answer =
        "Answer the task below accurately and completely; explain the steps where it helps.\n\n" +
        "Task:\n{prompt}\n\nAnswer:\n";

    /// <summary>Judge prompt with LIFT's rubric; the first integer of the reply is the score.</summary>
    public const string Judge =
        "Rate the instruction and response below from 0 to 100 by adding up:\n" +
        "- clarity of the instruction (up to 15 points),\n" +
        "- difficulty of the instruction (up to 25 points),\n" +
        "- quality of the explanations in the response (up to 25 points),\n" +
        "- accuracy of the response (up to 35 points).\n" +
        "Reply with the total score only, a whole number.\n\n" +
        "Instruction:\n{prompt}\n\nResponse:\n{output}\n\nScore:\n";

    /// <summary>The rewrite prompt of an expand variant.</summary>
    public static string Rewrite(ExpandVariant variant) => variant switch
    {
        ExpandVariant.General => RewriteGeneral,
        ExpandVariant.Code => RewriteCode,
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };
}
