using Nuggets.Core.Configuration;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Stability;

/// <summary>
/// The selection rule of <see cref="Selection.Selector"/>, restated over plain win counts so that a bootstrap can apply
/// it thousands of times without building rows: threshold keeps <c>GoldenScore.Of(wins, M) &gt; t</c> (the same double
/// arithmetic), top keeps the best <c>N</c> by wins, topPercent the best <c>⌈count · p / 100⌉</c>; ties by row order
/// (lower row first). Given the same wins it selects exactly the rows the selector selects.
/// </summary>
/// <param name="Mode">threshold, top or topPercent.</param>
/// <param name="Threshold">t of threshold mode.</param>
/// <param name="Top">N of top mode.</param>
/// <param name="TopPercent">p of topPercent mode.</param>
public sealed record WinCountRule(SelectionMode Mode, double Threshold, int Top, double TopPercent)
{
    /// <summary>The rule of a configuration's <c>selection</c> section.</summary>
    public static WinCountRule From(SelectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new WinCountRule(options.Mode, options.Threshold, options.Top, options.TopPercent);
    }

    /// <summary>How many rows the top modes keep out of <paramref name="count"/> (the selector's expression); -1 for threshold mode.</summary>
    public int Quota(int count) => Mode == SelectionMode.Threshold ? -1 : (int)Selection.Selector.Quota(Mode, Top, TopPercent, count);

    /// <summary>
    /// Marks in <paramref name="selected"/> the rows the rule keeps. <paramref name="wins"/> must be in row order
    /// (ascending row numbers), each in [0, <paramref name="anchorCount"/>].
    /// </summary>
    /// <param name="wins">Each row's wins, rows in ascending row order.</param>
    /// <param name="anchorCount">M, the denominator of the golden score.</param>
    /// <param name="selected">Output, as long as <paramref name="wins"/>.</param>
    public void Select(ReadOnlySpan<int> wins, int anchorCount, Span<bool> selected)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(anchorCount, 1);
        if (selected.Length != wins.Length) throw new ArgumentException("one flag per row", nameof(selected));
        var quota = Quota(wins.Length);
        if (quota < 0)
        {
            Span<bool> passes = anchorCount < 1024 ? stackalloc bool[anchorCount + 1] : new bool[anchorCount + 1];
            for (var w = 0; w <= anchorCount; w++) passes[w] = GoldenScore.Of(w, anchorCount) > Threshold;
            for (var i = 0; i < wins.Length; i++) selected[i] = passes[Check(wins[i], anchorCount)];
            return;
        }

        // Top modes by counting: the lowest level kept whole or in part, then ties at that level by row order.
        Span<int> histogram = anchorCount < 1024 ? stackalloc int[anchorCount + 1] : new int[anchorCount + 1];
        histogram.Clear();
        foreach (var w in wins) histogram[Check(w, anchorCount)]++;
        var above = 0;
        var cutoff = anchorCount + 1; // quota 0: nothing kept
        var atCutoff = 0;
        for (var w = anchorCount; w >= 0 && above < quota; w--)
        {
            if (above + histogram[w] >= quota)
            {
                cutoff = w;
                atCutoff = quota - above;
                break;
            }
            above += histogram[w];
        }
        for (var i = 0; i < wins.Length; i++)
        {
            var w = wins[i];
            if (w > cutoff) selected[i] = true;
            else if (w == cutoff && atCutoff > 0)
            {
                selected[i] = true;
                atCutoff--;
            }
            else selected[i] = false;
        }
    }

    private static int Check(int wins, int anchorCount) =>
        wins >= 0 && wins <= anchorCount ? wins : throw new ArgumentOutOfRangeException(nameof(wins), wins, $"wins must be in [0, {anchorCount}]");
}
