namespace Nuggets.DuckDb.Reports;

/// <summary>How many rows of a score table share one (<c>golden_score</c>, <c>wins</c>, <c>anchors_scored</c>) triple.</summary>
/// <param name="GoldenScore">The golden score as written.</param>
/// <param name="Wins">The wins, or null when the table has none.</param>
/// <param name="AnchorsScored">The anchors scored, or null when the table has none.</param>
/// <param name="Count">Rows with these values.</param>
public sealed record ScoreTableLevel(double GoldenScore, int? Wins, int? AnchorsScored, long Count);
