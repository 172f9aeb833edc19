using System.Text.Json.Serialization;

namespace Nuggets.Core.Data;

/// <summary>
/// Output file format for a selection or a score table (<c>output.format</c>); each member's spelling is the one users
/// write (<see cref="Configuration.Spelling"/>) and the row files' extension.
/// </summary>
public enum OutputFormat
{
    /// <summary>Parquet, zstd-compressed, deterministic bytes.</summary>
    [JsonStringEnumMemberName("parquet")] Parquet,
    /// <summary>JSON Lines.</summary>
    [JsonStringEnumMemberName("jsonl")] JsonLines,
}

/// <summary>What is appended to an input row in an output file.</summary>
/// <param name="Row">0-based row position in the dataset (the join key back to the input).</param>
/// <param name="ContentHash">The example's content hash.</param>
/// <param name="GoldenScore">wins / anchors.</param>
/// <param name="Wins">Anchors the example improved (written only when the writer is asked for it).</param>
/// <param name="AnchorsScored">Anchors actually scored (fewer than all when pruned).</param>
/// <param name="ScoreExact">Every anchor was scored, so <paramref name="GoldenScore"/> is exact; false when pruning
/// stopped early and it is a lower bound (written as <c>score_exact</c> with the win counts).</param>
public sealed record RowAnnotation(long Row, string ContentHash, double GoldenScore, int Wins, int AnchorsScored, bool ScoreExact)
{
    /// <summary>
    /// Lower end of the 95% Wilson score interval of <see cref="Wins"/> / <see cref="AnchorsScored"/>
    /// (<see cref="Stability.WilsonInterval"/>), written as <c>wilson_low</c> with the win counts. For a pruned row
    /// (<see cref="ScoreExact"/> false) n is the anchors scored, so it is the interval of the scored part's win rate.
    /// </summary>
    public double WilsonLow => Stability.WilsonInterval.Of(Wins, AnchorsScored).Low;

    /// <summary>Upper end of that interval, written as <c>wilson_high</c>.</summary>
    public double WilsonHigh => Stability.WilsonInterval.Of(Wins, AnchorsScored).High;

    /// <summary>
    /// The row's per-anchor outcomes, one character per anchor in the anchors' file order (<c>1</c> win, <c>0</c>
    /// loss, <c>-</c> not scored), written as <c>outcomes</c> with the win counts; null (written as NULL) when unknown.
    /// </summary>
    public string? Outcomes { get; init; }
}

/// <summary>Writes rows of a dataset, with every input column in input order plus annotation columns.</summary>
public interface ISelectionWriter
{
    /// <summary>
    /// Writes the input rows named by <paramref name="rows"/> (in the given order) with the columns
    /// <c>golden_score</c>, <c>row</c>, <c>content_hash</c> appended (and <c>wins</c>, <c>anchors_scored</c>,
    /// <c>score_exact</c>, <c>wilson_low</c>, <c>wilson_high</c>, <c>outcomes</c> when <paramref name="includeWinCounts"/>). Atomic: written to a temporary file and renamed. Deterministic:
    /// the same inputs give byte-identical Parquet.
    /// </summary>
    void Write(DatasetSource source, IReadOnlyList<RowAnnotation> rows, string outputPath, OutputFormat format, bool includeWinCounts);
}
