namespace Nuggets.Core.Stages;

/// <summary>Decides whether a generation is usable, and cleans it: malformed ones are dropped and counted by reason.</summary>
public static class GenerationCheck
{
    private static readonly string[] Labels = ["new task:", "rewritten task:", "#rewritten task#:", "task:", "answer:", "response:"];

    /// <summary>The generation's text, trimmed, without a leading label the prompt invited (e.g. "New task:").</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        foreach (var label in Labels)
        {
            if (trimmed.StartsWith(label, StringComparison.OrdinalIgnoreCase)) return trimmed[label.Length..].Trim();
        }
        return trimmed;
    }

    /// <summary>Why <paramref name="generated"/> is malformed, or null when it is usable.</summary>
    /// <param name="generated">The generation.</param>
    /// <param name="keepTruncated">Accept text cut off at the token limit.</param>
    /// <param name="mustDifferFrom">Text the result must not repeat (the task a rewrite started from), or null.</param>
    public static string? Problem(GeneratedText generated, bool keepTruncated, string? mustDifferFrom = null)
    {
        ArgumentNullException.ThrowIfNull(generated);
        if (generated.Failure is { } failure) return failure;
        var text = Clean(generated.Text);
        if (text.Length == 0) return "empty";
        if (!generated.Stopped && !keepTruncated) return "cut off at maxTokens";
        // U+FFFD marks bytes that were not valid UTF-8: a token sequence cut inside a character, or garbage.
        if (text.Any(c => c == '\uFFFD' || (char.IsControl(c) && c is not ('\n' or '\r' or '\t')))) return "invalid characters";
        if (!text.Any(char.IsLetterOrDigit)) return "no words";
        if (mustDifferFrom is not null && string.Equals(text, mustDifferFrom.Trim(), StringComparison.OrdinalIgnoreCase)) return "unchanged";
        return null;
    }
}
