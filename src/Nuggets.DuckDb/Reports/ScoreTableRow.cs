namespace Nuggets.DuckDb.Reports;

/// <summary>One row of a score table (<c>scores.parquet</c>) or selection (<c>selected.parquet</c>) as <see cref="ScoreTableReader"/> reads it.</summary>
/// <param name="Row">The <c>row</c> column: the 0-based dataset row.</param>
/// <param name="ContentHash">The <c>content_hash</c> column.</param>
/// <param name="GoldenScore">The <c>golden_score</c> column, as written.</param>
/// <param name="Wins">The <c>wins</c> column, or null when the table has none (e.g. a selection).</param>
/// <param name="AnchorsScored">The <c>anchors_scored</c> column, or null when the table has none.</param>
/// <param name="Prompt">The instruction (and input), or every message but the last; shortened to the preview length.</param>
/// <param name="Response">The response (output, or the last message); shortened to the preview length.</param>
/// <param name="WilsonLow">The <c>wilson_low</c> column, or null when the table has none (earlier versions, selections).</param>
/// <param name="WilsonHigh">The <c>wilson_high</c> column, or null when the table has none.</param>
public sealed record ScoreTableRow(long Row, string ContentHash, double GoldenScore, int? Wins, int? AnchorsScored, string Prompt, string Response,
    double? WilsonLow = null, double? WilsonHigh = null);

/// <summary>One row of a score table as the stability estimate reads it.</summary>
/// <param name="Row">The <c>row</c> column.</param>
/// <param name="Wins">The <c>wins</c> column.</param>
/// <param name="AnchorsScored">The <c>anchors_scored</c> column.</param>
/// <param name="Outcomes">The <c>outcomes</c> column (<c>1</c> win, <c>0</c> loss, <c>-</c> not scored, one per anchor), or null where it is NULL.</param>
public sealed record ScoreTableOutcomes(long Row, int Wins, int AnchorsScored, string? Outcomes);
