using Nuggets.Core.Reporting;
using Nuggets.DuckDb.Reports;

namespace Nuggets.Cli.Composition;

/// <summary>
/// Adapts the plain rows of <see cref="ScoreTableReader"/> to the report model (docs/report.md). It lives in the
/// composition root so Nuggets.DuckDb does not depend on the report model.
/// </summary>
internal static class ScoreTableRows
{
    /// <summary>The report's example for one row.</summary>
    public static ScoredExample ToExample(ScoreTableRow row) =>
        new(row.Row, row.ContentHash, row.GoldenScore, row.Wins, row.AnchorsScored, row.Prompt, row.Response, row.WilsonLow, row.WilsonHigh);

    /// <summary>The report's examples, in the order read.</summary>
    public static IReadOnlyList<ScoredExample> ToExamples(IReadOnlyList<ScoreTableRow> rows) => rows.Select(ToExample).ToArray();

    /// <summary>The report's score levels, in the order read.</summary>
    public static IReadOnlyList<ScoreLevel> ToLevels(IReadOnlyList<ScoreTableLevel> levels) =>
        levels.Select(l => new ScoreLevel(l.GoldenScore, l.Wins, l.AnchorsScored, l.Count)).ToArray();
}
