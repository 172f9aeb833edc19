namespace Nuggets.Build.Tasks;

/// <summary>What one line printed by <c>dotnet-nuggets</c> means to the build.</summary>
public enum ToolOutputKind
{
    /// <summary>Progress or any other text: a low-importance message.</summary>
    Message,
    /// <summary>An <c>error: …</c> line.</summary>
    Error,
    /// <summary>A <c>warning: …</c> line.</summary>
    Warning,
}

/// <summary>
/// One line of tool output, parsed. The CLI prints each user-facing problem as one line,
/// <c>error: &lt;message&gt;</c>, where the message usually starts with the absolute path of the file it is about
/// (<c>error: /data/a.parquet: column 'output' not found …</c>). That path becomes the diagnostic's File so IDEs
/// and CI annotate the right file.
/// </summary>
/// <remarks>
/// A row number in the message (<c>row 17</c>) is deliberately not turned into a line number: a Parquet file has no
/// lines, a JSONL row is a line only when the file has no blank lines, a CSV has a header, and the CLI numbers rows
/// across all files of a dataset read as one table. A wrong line would send the reader to the wrong place, so the
/// row stays in the message, where it is exact.
/// </remarks>
/// <param name="Kind">Error, warning or plain message.</param>
/// <param name="File">The file the line is about, or null.</param>
/// <param name="Message">The text without the <c>error: </c> prefix and without the file.</param>
public sealed record ToolOutputLine(ToolOutputKind Kind, string? File, string Message)
{
    private const string ErrorPrefix = "error: ";
    private const string WarningPrefix = "warning: ";

    /// <summary>Parses one line of the tool's stdout or stderr.</summary>
    public static ToolOutputLine Parse(string line)
    {
        var trimmed = line.TrimEnd();
        if (trimmed.StartsWith(ErrorPrefix, StringComparison.Ordinal))
        {
            var (file, message) = SplitFile(trimmed[ErrorPrefix.Length..]);
            return new ToolOutputLine(ToolOutputKind.Error, file, message);
        }
        if (trimmed.StartsWith(WarningPrefix, StringComparison.Ordinal))
        {
            var (file, message) = SplitFile(trimmed[WarningPrefix.Length..]);
            return new ToolOutputLine(ToolOutputKind.Warning, file, message);
        }
        return new ToolOutputLine(ToolOutputKind.Message, null, trimmed);
    }

    /// <summary>
    /// Splits <c>/abs/path/file.ext: rest</c> into the path and the rest. Only a rooted path counts (the CLI makes every
    /// path absolute), and the separator is the first <c>": "</c> after it, so a message like
    /// <c>unknown key 'x': …</c> never turns into a file.
    /// </summary>
    private static (string? File, string Message) SplitFile(string text)
    {
        if (!Path.IsPathRooted(text)) return (null, text);
        var separator = text.IndexOf(": ", StringComparison.Ordinal);
        if (separator <= 0) return (null, text);
        var candidate = text[..separator];
        // A path has no spaces-only tail and names something: reject "/" alone or a sentence that happens to start with '/'.
        if (candidate.Length < 2 || candidate.EndsWith(' ')) return (null, text);
        return (candidate, text[(separator + 2)..]);
    }
}
