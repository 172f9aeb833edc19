namespace Nuggets.Core.Reporting;

/// <summary>One step of the selection curve: every threshold in [<see cref="From"/>, <see cref="To"/>) selects <see cref="Selected"/> rows.</summary>
/// <param name="From">Lowest threshold of the step (inclusive).</param>
/// <param name="To">Highest threshold of the step (exclusive; 1 for the last step).</param>
/// <param name="Selected">Rows with golden score &gt; threshold.</param>
public sealed record CurveStep(double From, double To, long Selected);

/// <summary>
/// Rows selected as a function of the threshold, by the selection rule itself (golden score &gt; t, as
/// <see cref="Selection.Selector"/> applies it), over the scores as written. Where some rows were pruned their scores
/// are lower bounds, so the curve is a lower bound at every threshold (exact at the run's own threshold).
/// </summary>
public static class SelectionCurve
{
    /// <summary>The steps of the curve over thresholds [0, 1], in ascending threshold order.</summary>
    public static IReadOnlyList<CurveStep> Steps(IReadOnlyList<ScoreLevel> levels)
    {
        // The curve only changes at a score level: at t = s the rows scoring exactly s stop passing "> t".
        var breaks = levels.Select(l => l.GoldenScore).Where(s => s > 0 && s < 1).Distinct().Order().ToList();
        var edges = new List<double> { 0 };
        edges.AddRange(breaks);
        edges.Add(1);
        var steps = new List<CurveStep>();
        for (var i = 0; i < edges.Count - 1; i++)
            steps.Add(new CurveStep(edges[i], edges[i + 1], SelectedAt(levels, edges[i])));
        return steps;
    }

    /// <summary>Rows a threshold of <paramref name="threshold"/> selects: golden score &gt; threshold.</summary>
    public static long SelectedAt(IReadOnlyList<ScoreLevel> levels, double threshold) =>
        levels.Where(l => Passes(l, threshold)).Sum(l => l.Count);

    // The written golden_score is GoldenScore.Of(wins, M), the very double the selection compares with "> t".
    private static bool Passes(ScoreLevel level, double threshold) => level.GoldenScore > threshold;
}
