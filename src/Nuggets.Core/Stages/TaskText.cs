namespace Nuggets.Core.Stages;

/// <summary>
/// A task (instruction and input) as one text: the instruction, then the input below a line <c>Input:</c> when there
/// is one. The built-in rewrite prompts show the model tasks in this shape and ask it to keep it, so a rewritten task
/// splits back into the instruction and input columns, as the LIFT authors split theirs.
/// </summary>
public static class TaskText
{
    /// <summary>The line that opens a task's input part.</summary>
    public const string InputLabel = "Input:";

    /// <summary>The instruction, then <c>Input:</c> and the input on lines of their own when the input is not empty; both trimmed.</summary>
    public static string Join(string instruction, string input)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(input);
        return input.Trim().Length == 0 ? instruction.Trim() : $"{instruction.Trim()}\n{InputLabel}\n{input.Trim()}";
    }

    /// <summary>
    /// Splits <paramref name="text"/> at its first line that is the input label alone (any case; Markdown heading or
    /// bold marks around it allowed, e.g. <c>### Input:</c> or <c>**Input:**</c>): the instruction is what comes before
    /// it, the input what follows, both trimmed. Without such a line, or with nothing before it, the whole text is the
    /// instruction and the input is empty.
    /// </summary>
    /// <remarks>
    /// Only a label on a line of its own splits: task statements often show examples such as <c>Input: [3, 1] Output: 1</c>,
    /// which belong to the instruction.
    /// </remarks>
    public static (string Instruction, string Input) Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            if (!IsInputLabel(lines[i])) continue;
            var instruction = string.Join('\n', lines[..i]).Trim();
            if (instruction.Length == 0) break;
            return (instruction, string.Join('\n', lines[(i + 1)..]).Trim());
        }
        return (text.Trim(), "");
    }

    private static bool IsInputLabel(string line) =>
        string.Equals(line.Trim().Trim('#', '*', ' ', '\t'), InputLabel, StringComparison.OrdinalIgnoreCase);
}
