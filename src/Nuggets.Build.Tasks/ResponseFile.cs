using System.Text;

namespace Nuggets.Build.Tasks;

/// <summary>
/// Writes arguments as a System.CommandLine response file: one argument per line; System.CommandLine splits a line
/// at whitespace outside double quotes, so an argument with whitespace is quoted. The response file keeps long
/// dataset lists off the command line and out of any shell.
/// </summary>
public static class ResponseFile
{
    /// <summary>Formats <paramref name="arguments"/>, one per line.</summary>
    /// <exception cref="ArgumentException">An argument that a response file cannot carry (a double quote, a line break, an empty string).</exception>
    public static string Format(IEnumerable<string> arguments)
    {
        var text = new StringBuilder();
        foreach (var argument in arguments)
        {
            if (argument.Length == 0 || argument.Contains('"') || argument.Contains('\n') || argument.Contains('\r'))
            {
                throw new ArgumentException($"cannot pass [{argument}] to dotnet-nuggets in a response file (empty, a double quote or a line break).", nameof(arguments));
            }
            // '#' starts a comment line and whitespace splits a line, so both need quotes.
            var needsQuotes = argument.Any(char.IsWhiteSpace) || argument[0] == '#';
            text.Append(needsQuotes ? $"\"{argument}\"" : argument).Append('\n');
        }
        return text.ToString();
    }
}
