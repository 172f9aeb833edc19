namespace Nuggets.Core.Jobs;

/// <summary>Quoting for the generated POSIX shell scripts.</summary>
internal static class ShellText
{
    /// <summary>
    /// <paramref name="text"/> as one shell word: unchanged when it holds only characters no shell treats specially,
    /// else in single quotes (a single quote inside becomes <c>'\''</c>).
    /// </summary>
    public static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ',' or ':' or '=' or '@' or '%')
            ? text
            : "'" + text.Replace("'", "'\\''") + "'";

    /// <summary>True when <paramref name="text"/> can stand unquoted in a <c>#SBATCH</c> line or a YAML plain scalar.</summary>
    public static bool IsPlain(string text) => text.Length > 0 && Quote(text) == text;
}
