using Nuggets.Core.Data;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Datasets;

/// <summary>
/// SQL for the whole dataset with a column <see cref="RowColumn"/> holding each row's dataset position — the
/// same numbering the reader gives (file order, then order within the file).
/// </summary>
internal static class NumberedSourceSql
{
    public const string RowColumn = "__nuggets_row";

    /// <summary>
    /// The query that copies one file into its plan table, with the file's row number in <see cref="RowColumn"/>; its
    /// one parameter is the file's path (<see cref="ScanSql"/>). <paramref name="byteOrderMark"/>: the file starts with
    /// a UTF-8 byte order mark (<see cref="ScanSql.For"/>).
    /// Parquet uses DuckDB's exact <c>file_row_number</c>. Text formats number rows with <c>row_number() OVER ()</c>,
    /// which follows scan order because the dataset session runs single-threaded with insertion order preserved
    /// (ReaderSession.Open(threads: 1)); the table then keeps the rows in that order.
    /// </summary>
    public static string Copy(ResolvedFile file, bool byteOrderMark = false) =>
        file.Format == DatasetFormat.Parquet
            ? $"SELECT * EXCLUDE (file_row_number), file_row_number AS {RowColumn} FROM {ScanSql.ParquetWithRowNumber(file)}"
            : $"SELECT *, row_number() OVER () - 1 AS {RowColumn} FROM {ScanSql.For(file, byteOrderMark)}";

    /// <summary>The whole dataset from the plan's tables, <see cref="RowColumn"/> turned into the dataset position.</summary>
    public static string For(DatasetPlan plan)
    {
        var parts = new List<string>();
        long offset = 0;
        foreach (var file in plan.Files)
        {
            if (file.Table is null || file.Schema.Columns.Count == 0) continue;
            parts.Add($"SELECT * EXCLUDE ({RowColumn}), {RowColumn} + {offset} AS {RowColumn} FROM {SqlText.Identifier(file.Table)}");
            offset += file.Schema.Rows;
        }
        // BY NAME: files of one dataset may order their columns differently; a column one file lacks is NULL there.
        return string.Join(" UNION ALL BY NAME ", parts);
    }

    /// <summary>Every input column, in the first file's order, then columns that only later files have.</summary>
    public static IReadOnlyList<string> InputColumns(DatasetPlan plan)
    {
        var names = new List<string>();
        foreach (var file in plan.Files)
            foreach (var (name, _) in file.Schema.Columns)
                if (!names.Contains(name)) names.Add(name);
        return names;
    }
}
