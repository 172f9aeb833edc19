using Nuggets.Core.Data;

namespace Nuggets.Core.Prompting;

/// <summary>
/// The exact format of the authors' code (docs/scoring.md, "The text of a row"): fields trimmed,
/// <c>"Instruction:\n{instruction}\nInput:\n{input}\nResponse:\n"</c> then the output; the Input block is
/// left out when the input is empty.
/// </summary>
public static class AlpacaTemplate
{
    /// <summary>The template's name in configuration.</summary>
    public const string Name = "alpaca";

    /// <summary>Formats an Alpaca-shaped example.</summary>
    public static FormattedExample Format(Example example)
    {
        var instruction = example.Instruction.Trim();
        var input = example.Input.Trim();
        var prompt = input.Length == 0
            ? $"Instruction:\n{instruction}\nResponse:\n"
            : $"Instruction:\n{instruction}\nInput:\n{input}\nResponse:\n";
        return new FormattedExample(prompt, example.Output.Trim());
    }
}
