namespace Nuggets.Bench.Report;

/// <summary>A generated block between two HTML-comment markers in a hand-written Markdown page.</summary>
internal static class MarkedBlock
{
    /// <summary>
    /// Replaces the text from <paramref name="begin"/> to <paramref name="end"/> (markers included) with
    /// <paramref name="block"/>, keeping everything around it; null when <paramref name="page"/> has no such block.
    /// The begin marker is matched by its first word, so a page whose marker lost or changed its comment still merges.
    /// </summary>
    public static string? Replace(string page, string begin, string end, string block)
    {
        var start = page.IndexOf(begin[..begin.IndexOf(' ', 5)], StringComparison.Ordinal);
        var stop = page.IndexOf(end, StringComparison.Ordinal);
        return start >= 0 && stop > start ? page[..start] + block.TrimEnd('\n') + page[(stop + end.Length)..] : null;
    }
}
