using Nuggets.Core.Data;

namespace Nuggets.Core.Stages;

/// <summary>A row flowing through the stages, with its provenance.</summary>
/// <param name="Example">The example (its <see cref="Example.Row"/> is its position in the dataset it came from).</param>
/// <param name="SourceRow">Row of the original dataset it descends from.</param>
/// <param name="Stage">The stage that made it: <c>input</c> for original rows, otherwise e.g. <c>expand</c>.</param>
/// <param name="Round">0 for original rows; the expansion round that made it otherwise.</param>
public sealed record StageRow(Example Example, long SourceRow, string Stage, int Round);

/// <summary>Writes stage rows (mapped columns plus <c>source_row</c>, <c>stage</c>, <c>round</c>) as deterministic zstd Parquet, atomically.</summary>
public interface IStageWriter
{
    /// <summary>Writes <paramref name="rows"/> in order to <paramref name="path"/> (temporary file, then rename).</summary>
    /// <exception cref="NuggetsException">The file cannot be written (exit code OutputError).</exception>
    void Write(IReadOnlyList<StageRow> rows, ColumnMapping columns, string path);
}
