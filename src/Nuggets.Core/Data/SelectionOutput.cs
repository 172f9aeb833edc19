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
public sealed record RowAnnotation(long Row, string ContentHash, double GoldenScore, int Wins, int AnchorsScored, bool ScoreExact);

/// <summary>Writes rows of a dataset, with every input column in input order plus annotation columns.</summary>
public interface ISelectionWriter
{
    /// <summary>
    /// Writes the input rows named by <paramref name="rows"/> (in the given order) with the columns
    /// <c>golden_score</c>, <c>row</c>, <c>content_hash</c> appended (and <c>wins</c>, <c>anchors_scored</c>,
    /// <c>score_exact</c> when <paramref name="includeWinCounts"/>). Atomic: written to a temporary file and renamed. Deterministic:
    /// the same inputs give byte-identical Parquet.
    /// </summary>
    void Write(DatasetSource source, IReadOnlyList<RowAnnotation> rows, string outputPath, OutputFormat format, bool includeWinCounts);
}
