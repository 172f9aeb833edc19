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
            SelectionMode.Top => ranked.Take(options.Top),
            SelectionMode.TopPercent => ranked.Take((int)Math.Ceiling(scored.Count * options.TopPercent / 100.0)),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "not a selection mode"),
        };
        return chosen.OrderBy(r => r.Row).ToArray();
    }
}
