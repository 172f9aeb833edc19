using Nuggets.Core.Pipeline;

namespace Nuggets.Core.Reporting;

/// <summary>One row of a score table (<c>scores.parquet</c>) or selection (<c>selected.parquet</c>) with a text preview.</summary>
/// <param name="Row">0-based dataset row.</param>
/// <param name="ContentHash">The row's content hash.</param>
/// <param name="GoldenScore">The golden score as written (wins / M; a lower bound when <paramref name="AnchorsScored"/> &lt; M).</param>
/// <param name="Wins">Anchors won among those scored (null when the table has no win counts, e.g. a selection).</param>
/// <param name="AnchorsScored">Anchors scored (fewer than M when the row's threshold decision was certain early), or null.</param>
/// <param name="Prompt">The instruction (and input), or every message but the last; possibly shortened.</param>
/// <param name="Response">The response (output, or the last message); possibly shortened.</param>
/// <param name="WilsonLow">Lower end of the 95% Wilson interval of wins / anchors scored, as written (<c>wilson_low</c>);
/// null when the table has none (earlier versions, selections).</param>
/// <param name="WilsonHigh">Upper end of that interval (<c>wilson_high</c>), or null.</param>
public sealed record ScoredExample(long Row, string ContentHash, double GoldenScore, int? Wins, int? AnchorsScored, string Prompt, string Response,
    double? WilsonLow = null, double? WilsonHigh = null);

/// <summary>How many rows of a score table share one (golden score, wins, anchors scored) triple.</summary>
/// <param name="GoldenScore">The golden score as written.</param>
/// <param name="Wins">The wins, or null when the table has none.</param>
/// <param name="AnchorsScored">The anchors scored, or null when the table has none.</param>
/// <param name="Count">Rows with these values.</param>
public sealed record ScoreLevel(double GoldenScore, int? Wins, int? AnchorsScored, long Count);

/// <summary>Everything the selection report shows: the manifest as written plus what is read from the score table.</summary>
/// <param name="Manifest">manifest.json of the run.</param>
/// <param name="Levels">The score table grouped by score (every scored row once); empty when there is no score table.</param>
/// <param name="Top">The best rows (golden score descending, then row), as many as the report shows.</param>
/// <param name="Bottom">The worst rows (golden score ascending, then row).</param>
/// <param name="AnchorPreviews">A short text of each anchor by its row, where the anchors file could be read.</param>
/// <param name="LowestSelectedScore">The lowest golden score in the selection file (null: no selection or empty).</param>
/// <param name="ScoresPath">The score table read, or null when there was none.</param>
public sealed record SelectionReport(
    Manifest Manifest,
    IReadOnlyList<ScoreLevel> Levels,
    IReadOnlyList<ScoredExample> Top,
    IReadOnlyList<ScoredExample> Bottom,
    IReadOnlyDictionary<long, string> AnchorPreviews,
    double? LowestSelectedScore,
    string? ScoresPath)
{
    /// <summary>
    /// The selection's stability (<see cref="Stability.SelectionStability"/>, default resamples, seed 0), or null when
    /// the score table has no per-anchor outcomes (<see cref="StabilityUnavailable"/> says why).
    /// </summary>
    public Stability.StabilityEstimate? Stability { get; init; }

    /// <summary>Why there is no stability estimate (e.g. a score table of an earlier version), or null.</summary>
    public string? StabilityUnavailable { get; init; }

    /// <summary>Rows in the score table (the sum of <see cref="Levels"/>).</summary>
    public long RowsInScores => Levels.Sum(l => l.Count);

    /// <summary>Rows whose scoring stopped early, so their golden score is a lower bound.</summary>
    public long RowsWithLowerBounds => Levels.Where(l => l.AnchorsScored is { } n && n < Manifest.Anchors.Count).Sum(l => l.Count);
}
