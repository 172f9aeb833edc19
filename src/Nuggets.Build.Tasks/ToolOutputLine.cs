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
/// <c>error: &lt;message&gt;</c>, where the message names the absolute path of the file it is about, at its start
/// (<c>error: /data/a.parquet: column 'output' not found …</c>) or inside it (<c>Dataset file /data/a.jsonl has no
/// column …</c>). That path becomes the diagnostic's File so IDEs and CI annotate the right file.
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
    /// Finds the file a message is about. Most messages start with it (<c>/abs/file.parquet: rest</c>): then the path
    /// is split off. Others name it inside (<c>Dataset file /abs/a.jsonl has no column 'output' …</c>): then the first
    /// absolute path with a file extension is the file and the message stays whole. Only rooted paths count (the
    /// CLI makes every path absolute), so <c>unknown key 'x': …</c> never becomes a file; a glob is not a file.
    /// </summary>
    private static (string? File, string Message) SplitFile(string text)
    {
        var separator = text.IndexOf(": ", StringComparison.Ordinal);
        if (separator > 1 && Path.IsPathRooted(text) && !text[..separator].Contains(' ') && IsFilePath(text[..separator]))
        {
            return (text[..separator], text[(separator + 2)..]);
        }
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = word.Trim('\'', '"', '(', ')', '[', ']', ',', ';').TrimEnd('.', ':', ',', ';', ')', '\'', '"');
            if (IsFilePath(candidate)) return (candidate, text);
        }
        return (null, text);
    }

    private static bool IsFilePath(string candidate) =>
        candidate.Length > 1
        && Path.IsPathRooted(candidate)
        && candidate.IndexOfAny(['*', '?']) < 0
        && Path.HasExtension(candidate);
}
