using System.Text.Json.Serialization;

namespace Nuggets.Core.Data;

/// <summary>
/// The file format of a dataset (<c>dataset.format</c>). <see cref="Auto"/> picks by file extension. Each member's
/// spelling is the one users write (<see cref="Configuration.Spelling"/>).
/// </summary>
public enum DatasetFormat
{
    /// <summary>By extension: .parquet, .jsonl/.ndjson, .json, .csv.</summary>
    [JsonStringEnumMemberName("auto")] Auto,
    /// <summary>Apache Parquet (any codec DuckDB reads).</summary>
    [JsonStringEnumMemberName("parquet")] Parquet,
    /// <summary>One JSON object per line.</summary>
    [JsonStringEnumMemberName("jsonl")] JsonLines,
    /// <summary>A JSON array of objects (Alpaca's alpaca_data.json layout).</summary>
    [JsonStringEnumMemberName("json")] Json,
    /// <summary>Comma-separated values with a header row.</summary>
    [JsonStringEnumMemberName("csv")] Csv,
}

/// <summary>Which columns hold the example. Chat rows use <see cref="Messages"/> (a list of {role, content}).</summary>
public sealed record ColumnMapping(
    string Instruction = "instruction",
    string Input = "input",
    string Output = "output",
    string? Messages = null)
{
    /// <summary>Alpaca's columns.</summary>
    public static ColumnMapping Alpaca { get; } = new();

    /// <summary>True when rows are read from a messages column.</summary>
    public bool IsChat => Messages is not null;
}

/// <summary>
/// A dataset: one or more files (globs allowed) read in order as one table, rows numbered 0.. across them.
/// </summary>
public sealed record DatasetSource(IReadOnlyList<string> Paths, ColumnMapping Columns, DatasetFormat Format = DatasetFormat.Auto)
{
    /// <summary>A single Alpaca-shaped file.</summary>
    public static DatasetSource Single(string path, ColumnMapping? columns = null) => new([path], columns ?? ColumnMapping.Alpaca);

    /// <summary>True when <paramref name="path"/> is a glob pattern (<c>*</c>, <c>?</c> or <c>[</c>) rather than one file.</summary>
    public static bool IsGlob(string path) => path.IndexOfAny(['*', '?', '[']) >= 0;
}

/// <summary>One input file as it was read.</summary>
/// <param name="Path">Full path.</param>
/// <param name="Sha256">SHA-256 of the file's bytes (hex).</param>
/// <param name="Rows">Rows it contributed.</param>
public sealed record DatasetFile(string Path, string Sha256, long Rows);

/// <summary>What a dataset holds: its files, total rows and columns (name, DuckDB type) in input order.</summary>
public sealed record DatasetDescription(IReadOnlyList<DatasetFile> Files, long Rows, IReadOnlyList<(string Name, string Type)> Columns);

/// <summary>Reads datasets as a stream of example chunks; memory must not grow with the row count.</summary>
public interface IDatasetReader
{
    /// <summary>Checks the files and the column mapping, and describes the dataset, without reading every row.</summary>
    /// <exception cref="NuggetsException">Missing file, missing column, wrong type, corrupt file, empty dataset.</exception>
    DatasetDescription Describe(DatasetSource source);

    /// <summary>Streams the examples in row order, <paramref name="chunkRows"/> at a time.</summary>
    /// <exception cref="NuggetsException">A NULL or non-string field (naming the row), or a corrupt file.</exception>
    IEnumerable<IReadOnlyList<Example>> ReadChunks(DatasetSource source, int chunkRows = 4096);
}
