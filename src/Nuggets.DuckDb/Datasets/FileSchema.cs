using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Datasets;

/// <summary>The columns (name, DuckDB type as SQL text) and row count of one dataset file.</summary>
internal sealed record FileSchema(IReadOnlyList<(string Name, string Type)> Columns, long Rows)
{
    /// <summary>Reads the schema and, when asked, the row count (Parquet: from the footer; text formats: one scan; -1 when not counted).</summary>
    /// <exception cref="DuckDbException">The file cannot be read as its format.</exception>
    public static FileSchema Inspect(DuckDbSession session, ResolvedFile file, bool countRows = true)
    {
        // A zero-byte text file is an empty dataset, not a corrupt one; DuckDB cannot infer a schema from it.
        if (file.Format != Core.Data.DatasetFormat.Parquet && new FileInfo(file.Path).Length == 0)
            return new FileSchema([], 0);
        var scan = ScanSql.For(file);
        var columns = new List<(string, string)>();
        using (var result = session.Query($"DESCRIBE SELECT * FROM {scan}"))
        {
            while (result.Next() is { } chunk)
            {
                using (chunk)
                {
                    var names = chunk.Vector(0);
                    var types = chunk.Vector(1);
                    for (var row = 0; row < chunk.Size; row++) columns.Add((names.GetString(row), types.GetString(row)));
                }
            }
        }
        var rows = countRows ? session.ScalarInt64($"SELECT count(*) FROM {scan}") : -1;
        return new FileSchema(columns, rows);
    }

    public bool Has(string column) => Columns.Any(c => c.Name == column);

    public string TypeOf(string column) => Shorten(Columns.First(c => c.Name == column).Type);

    /// <summary>The columns for a message: at most 20, each type cut to a readable length.</summary>
    public string Describe() =>
        string.Join(", ", Columns.Take(20).Select(c => $"{c.Name} {Shorten(c.Type)}")) + (Columns.Count > 20 ? $" and {Columns.Count - 20} more" : "");

    // A hostile file can nest a value thousands of levels deep; its type text would fill the terminal.
    private static string Shorten(string type) => type.Length <= 120 ? type : type[..117] + "…";
}
