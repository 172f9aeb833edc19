using System.Text;

namespace Nuggets.Core.Stages;

/// <summary>One scored example that calibrates the judge: a task, a response, and the points of each rubric part.</summary>
/// <param name="Instruction">The example's instruction.</param>
/// <param name="Input">Its input, or empty.</param>
/// <param name="Response">The response being scored.</param>
/// <param name="Clarity">Points for clarity (of <see cref="JudgeRubric.ClarityPoints"/>).</param>
/// <param name="Difficulty">Points for difficulty (of <see cref="JudgeRubric.DifficultyPoints"/>).</param>
/// <param name="Explanations">Points for explanations (of <see cref="JudgeRubric.ExplanationsPoints"/>).</param>
/// <param name="Accuracy">Points for accuracy (of <see cref="JudgeRubric.AccuracyPoints"/>).</param>
public sealed record JudgeExample(string Instruction, string Input, string Response, int Clarity, int Difficulty, int Explanations, int Accuracy)
{
    /// <summary>The example's total score: the sum of its parts.</summary>
    public int Total => Clarity + Difficulty + Explanations + Accuracy;
}

/// <summary>
/// LIFT's judging rubric (clarity 15, difficulty 25, explanations 25, accuracy 35 points) and the scored examples the
/// built-in judge prompt shows to calibrate the model, as the LIFT authors' judge prompt does with theirs. The examples
/// are this project's own: short, in several domains, one with an input and one with a wrong answer, none with full marks.
/// </summary>
public static class JudgeRubric
{
    /// <summary>Most points for how clearly the instruction states its problem.</summary>
    public const int ClarityPoints = 15;

    /// <summary>Most points for how hard the instruction's problem is.</summary>
    public const int DifficultyPoints = 25;

    /// <summary>Most points for how fully the response explains itself.</summary>
    public const int ExplanationsPoints = 25;

    /// <summary>Most points for how correct the response is.</summary>
    public const int AccuracyPoints = 35;

    /// <summary>The calibration examples, in the order the prompt shows them.</summary>
    public static IReadOnlyList<JudgeExample> Examples { get; } =
    [
        new("What is the capital of Australia?", "", "Canberra.",
            Clarity: 14, Difficulty: 3, Explanations: 2, Accuracy: 35),
        new("Write a Python function that returns the n-th Fibonacci number.", "",
            "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\n" +
            "The loop keeps the last two numbers of the sequence, so it runs in O(n) time and constant memory.",
            Clarity: 11, Difficulty: 13, Explanations: 15, Accuracy: 34),
        new("Sort the numbers in ascending order and say how you did it.", "8, 3, 5, 1",
            "1, 3, 5, 8. I took the smallest remaining number each time and put it next in a new list (selection sort).",
            Clarity: 14, Difficulty: 8, Explanations: 18, Accuracy: 35),
        new("Explain why the sky looks blue during the day.", "", "Because the sky reflects the colour of the oceans.",
            Clarity: 13, Difficulty: 10, Explanations: 4, Accuracy: 2),
    ];

    /// <summary>
    /// The examples as prompt text: each task in the <c>{task}</c> shape, its response, and a score line whose first
    /// number is the total (the number the stage reads), followed by the parts. Braces are escaped for
    /// <see cref="PromptTemplate"/>.
    /// </summary>
    public static string ExamplesText()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Examples.Count; i++)
        {
            var e = Examples[i];
            text.Append($"Example {i + 1}\nInstruction:\n{TaskText.Join(e.Instruction, e.Input)}\n\nResponse:\n{e.Response}\n\n")
                .Append($"Score: {e.Total} (clarity {e.Clarity}/{ClarityPoints}, difficulty {e.Difficulty}/{DifficultyPoints}, ")
                .Append($"explanations {e.Explanations}/{ExplanationsPoints}, accuracy {e.Accuracy}/{AccuracyPoints})\n\n");
        }
        return text.ToString().Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
    }
}
