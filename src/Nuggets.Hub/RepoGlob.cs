using System.Text;
using System.Text.RegularExpressions;

namespace Nuggets.Hub;

/// <summary>
/// Globs over repository paths, matched against the Hub's file listing: <c>*</c> and <c>?</c> within one folder level,
/// <c>**</c> across levels, <c>[abc]</c> a character class — the same rules as DuckDB's local globs.
/// </summary>
public static class RepoGlob
{
    /// <summary>Whether <paramref name="path"/> has a wildcard.</summary>
    public static bool IsGlob(string path) => path.IndexOfAny(['*', '?', '[']) >= 0;

    /// <summary>The folder before the first segment with a wildcard (empty for the repository root): what needs listing.</summary>
    public static string Folder(string pattern)
    {
        var segments = pattern.Split('/');
        var fixedCount = segments.TakeWhile(s => !IsGlob(s)).Count();
        return string.Join('/', segments.Take(Math.Min(fixedCount, segments.Length - 1)));
    }

    /// <summary>Whether repository path <paramref name="path"/> matches <paramref name="pattern"/> (ordinal, whole path).</summary>
    public static bool Matches(string pattern, string path) => ToRegex(pattern).IsMatch(path);

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" also matches no folder at all, so data/**/*.parquet finds data/a.parquet.
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else if (c == '[' && pattern.IndexOf(']', i + 1) is var close && close > i + 1)
            {
                var body = pattern[(i + 1)..close];
                regex.Append('[').Append(body.StartsWith('!') ? "^" + Regex.Escape(body[1..]) : Regex.Escape(body)).Append(']');
                i = close;
            }
            else regex.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
