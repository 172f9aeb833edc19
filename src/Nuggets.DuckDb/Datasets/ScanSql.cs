using Nuggets.Core.Data;

namespace Nuggets.DuckDb.Datasets;

/// <summary>
/// The DuckDB table function that reads one file. Its path is the statement's one parameter (<c>?</c>): callers bind
/// <see cref="ResolvedFile.Path"/>, so a path is never SQL text.
/// </summary>
internal static class ScanSql
{
    public static string For(ResolvedFile file)
    {
        const string path = "?";
        return file.Format switch
        {
            DatasetFormat.Parquet => $"read_parquet({path})",
            DatasetFormat.JsonLines => $"read_json({path}, format = 'newline_delimited', {JsonLimits})",
            DatasetFormat.Json => $"read_json({path}, format = 'array', {JsonLimits})",
            // CSV has no types: sniffed numbers would make a text column "wrong", so everything is text.
            DatasetFormat.Csv => $"read_csv({path}, header = true, all_varchar = true)",
            _ => throw new ArgumentOutOfRangeException(nameof(file), file.Format, "format not resolved"),
        };
    }

    // Type detection stops at this depth (deeper values stay JSON): enough for a chat column
    // (list → struct → text), and a hostile value nested 100,000 levels deep cannot make detection run for minutes.
    private const string JsonLimits = "maximum_depth = 4";

    /// <summary>Parquet only: the same scan with DuckDB's exact per-file row number as column <c>file_row_number</c>.</summary>
    public static string ParquetWithRowNumber(ResolvedFile file) =>
        file.Format == DatasetFormat.Parquet ? "read_parquet(?, file_row_number = true)" : throw new ArgumentOutOfRangeException(nameof(file), file.Format, "not Parquet");
}
