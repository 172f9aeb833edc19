using Nuggets.Core.Configuration;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Selection;

/// <summary>Applies the selection rule to scored rows: threshold (GS &gt; t), top N, or top percent; ties by row order.</summary>
public static class Selector
{
    /// <summary>The selected rows in row order (the order they are written in).</summary>
    public static IReadOnlyList<RowScore> Select(IReadOnlyList<RowScore> scored, int anchorCount, SelectionOptions options)
    {
        var ranked = scored.OrderByDescending(r => r.Wins).ThenBy(r => r.Row);
        IEnumerable<RowScore> chosen = options.Mode switch
        {
            SelectionMode.Threshold => scored.Where(r => GoldenScore.Of(r.Wins, anchorCount) > options.Threshold),
            SelectionMode.Top or SelectionMode.TopPercent => ranked.Take((int)Quota(options.Mode, options.Top, options.TopPercent, scored.Count)),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "not a selection mode"),
        };
        return chosen.OrderBy(r => r.Row).ToArray();
    }

    /// <summary>
    /// How many of <paramref name="rows"/> scored rows a top mode keeps: <paramref name="top"/>, or ⌈rows · p / 100⌉ for
    /// <c>topPercent</c>, at most all of them. The one place this is computed: the selection, top-k pruning and the
    /// stability bootstrap must agree on it to the row.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a top mode.</exception>
    public static long Quota(SelectionMode mode, int top, double topPercent, long rows) => Math.Clamp(mode switch
    {
        SelectionMode.Top => top,
        SelectionMode.TopPercent => (long)Math.Ceiling(rows * topPercent / 100.0),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a top selection mode"),
    }, 0, rows);
}
