using System.Text;
using System.Text.RegularExpressions;
using Nuggets.Core.Data;

namespace Nuggets.Core.Stages;

/// <summary>
/// Prompt templates of the generating stages: <c>{name}</c> placeholders filled from a row, <c>{{</c> and <c>}}</c>
/// for literal braces. Filling is a single pass, so text inside a row that looks like a placeholder stays as it is.
/// </summary>
public static partial class PromptTemplate
{
    /// <summary>
    /// The placeholders a row fills: its fields; <c>prompt</c> (instruction, then the input after a blank line when there
    /// is one); and <c>task</c> (instruction, then the input below a line <c>Input:</c> when there is one: <see cref="TaskText"/>).
    /// </summary>
    public static IReadOnlyCollection<string> RowPlaceholders { get; } = ["instruction", "input", "output", "prompt", "task"];

    /// <summary>Fills <paramref name="template"/> from <paramref name="example"/>.</summary>
    public static string Fill(string template, Example example) => Fill(template, name => name switch
    {
        "instruction" => example.Instruction.Trim(),
        "input" => example.Input.Trim(),
        "output" => example.Output.Trim(),
        "prompt" => example.Input.Trim().Length == 0 ? example.Instruction.Trim() : $"{example.Instruction.Trim()}\n\n{example.Input.Trim()}",
        "task" => TaskText.Join(example.Instruction, example.Input),
        _ => throw new ArgumentException($"Unknown placeholder '{{{name}}}'.", nameof(template)),
    });

    /// <summary>Fills every placeholder with <paramref name="value"/>(name).</summary>
    public static string Fill(string template, Func<string, string> value)
    {
        ArgumentNullException.ThrowIfNull(template);
        var text = new StringBuilder(template.Length + 256);
        var last = 0;
        foreach (Match match in Token().Matches(template))
        {
            text.Append(template, last, match.Index - last);
            text.Append(match.Value switch { "{{" => "{", "}}" => "}", _ => value(match.Groups[1].Value) });
            last = match.Index + match.Length;
        }
        return text.Append(template, last, template.Length - last).ToString();
    }

    /// <summary>The first placeholder of <paramref name="template"/> not in <paramref name="allowed"/>, or null.</summary>
    public static string? UnknownPlaceholder(string template, IReadOnlyCollection<string> allowed) =>
        Token().Matches(template).Select(m => m.Groups[1].Value).FirstOrDefault(n => n.Length > 0 && !allowed.Contains(n));

    [GeneratedRegex(@"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Token();
}
