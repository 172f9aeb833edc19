namespace Nuggets.DuckDb.Reports;

/// <summary>One row of a score table (<c>scores.parquet</c>) or selection (<c>selected.parquet</c>) as <see cref="ScoreTableReader"/> reads it.</summary>
/// <param name="Row">The <c>row</c> column: the 0-based dataset row.</param>
/// <param name="ContentHash">The <c>content_hash</c> column.</param>
/// <param name="GoldenScore">The <c>golden_score</c> column, as written.</param>
/// <param name="Wins">The <c>wins</c> column, or null when the table has none (e.g. a selection).</param>
/// <param name="AnchorsScored">The <c>anchors_scored</c> column, or null when the table has none.</param>
/// <param name="Prompt">The instruction (and input), or every message but the last; shortened to the preview length.</param>
/// <param name="Response">The response (output, or the last message); shortened to the preview length.</param>
public sealed record ScoreTableRow(long Row, string ContentHash, double GoldenScore, int? Wins, int? AnchorsScored, string Prompt, string Response);
