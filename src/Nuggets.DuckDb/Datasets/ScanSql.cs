using Nuggets.Core.Data;

namespace Nuggets.DuckDb.Datasets;

/// <summary>
/// The DuckDB table function that reads one file. Its path is the statement's one parameter (<c>?</c>): callers bind
/// <see cref="ResolvedFile.Path"/>, so a path is never SQL text.
/// </summary>
internal static class ScanSql
{
    /// <summary>
    /// The scan of <paramref name="file"/>. <paramref name="byteOrderMark"/> says the file starts with a UTF-8 byte order
    /// mark; DuckDB skips the mark itself, but for CSV it needs to be told the quote (see <see cref="BomCsvDialect"/>).
    /// </summary>
    /// <remarks>
    /// JSON needs nothing: measured with the pinned DuckDB 1.5.6, <c>read_json</c> skips a leading mark in both formats
    /// in the dataset session, which is single-threaded (ReaderSession.Open(threads: 1)). With more threads its
    /// newline-delimited reader refuses the mark ("byte order mark (BOM) is not supported"); ByteOrderMarkTests in
    /// Nuggets.DuckDb.Tests would catch a change of either.
    /// </remarks>
    public static string For(ResolvedFile file, bool byteOrderMark = false)
    {
        const string path = "?";
        return file.Format switch
        {
            DatasetFormat.Parquet => $"read_parquet({path})",
            DatasetFormat.JsonLines => $"read_json({path}, format = 'newline_delimited', {JsonLimits})",
            DatasetFormat.Json => $"read_json({path}, format = 'array', {JsonLimits})",
            // CSV has no types: sniffed numbers would make a text column "wrong", so everything is text.
            DatasetFormat.Csv => $"read_csv({path}, header = true, all_varchar = true{(byteOrderMark ? BomCsvDialect : "")})",
            _ => throw new ArgumentOutOfRangeException(nameof(file), file.Format, "format not resolved"),
        };
    }

    // Measured with DuckDB 1.5.6: read_csv drops a leading byte order mark, but its dialect sniffer sees the bytes with
    // the mark, so a quoted first header cell does not start with the quote. When that cell is the only quoted one in
    // the sniffed rows (`"instruction",input,output` over unquoted data), it settles on "no quoting" and the first
    // column comes out named "instruction" with its quotes: a missing column. Stating the quote and escape of RFC 4180
    // (what spreadsheet exports write) leaves nothing to guess from the mark; the delimiter is still sniffed. Only for
    // files with a mark, so every file without one is read exactly as before.
    private const string BomCsvDialect = ", quote = '\"', escape = '\"'";

    // Type detection stops at this depth (deeper values stay JSON): enough for a chat column
    // (list → struct → text), and a hostile value nested 100,000 levels deep cannot make detection run for minutes.
    private const string JsonLimits = "maximum_depth = 4";

    /// <summary>Parquet only: the same scan with DuckDB's exact per-file row number as column <c>file_row_number</c>.</summary>
    public static string ParquetWithRowNumber(ResolvedFile file) =>
        file.Format == DatasetFormat.Parquet ? "read_parquet(?, file_row_number = true)" : throw new ArgumentOutOfRangeException(nameof(file), file.Format, "not Parquet");
}
