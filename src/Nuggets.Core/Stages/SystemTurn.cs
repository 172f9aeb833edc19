namespace Nuggets.Core.Stages;

/// <summary>
/// How a system turn reaches a model that cannot take one as such: a model without a chat template, <c>chatTemplate:
/// none</c>, or a template without a system role. The system text then opens the user turn, a blank line before the
/// prompt, so the model still reads the instructions first.
/// </summary>
public static class SystemTurn
{
    /// <summary><paramref name="prompt"/> with <paramref name="system"/> (trimmed) and a blank line before it; the prompt alone when there is no system text.</summary>
    public static string PrependTo(string prompt, string? system)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return string.IsNullOrWhiteSpace(system) ? prompt : $"{system.Trim()}\n\n{prompt}";
    }
}
