using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Datasets;

/// <summary>The columns (name, DuckDB type as SQL text) and row count of one dataset file.</summary>
internal sealed record FileSchema(IReadOnlyList<(string Name, string Type)> Columns, long Rows)
{
    /// <summary>A zero-byte text file: no columns, no rows (an empty dataset, not a corrupt one).</summary>
    public static FileSchema None { get; } = new([], 0);

    /// <summary>
    /// The columns and row count of a file already copied into <paramref name="table"/> (without its row-number
    /// column): read from the copy, so the file itself is not opened again.
    /// </summary>
    public static FileSchema OfTable(DuckDbSession session, string table)
    {
        var columns = new List<(string, string)>();
        using (var result = session.Query($"DESCRIBE {SqlText.Identifier(table)}"))
        {
            while (result.Next() is { } chunk)
            {
                using (chunk)
                {
                    var names = chunk.Vector(0);
                    var types = chunk.Vector(1);
                    for (var row = 0; row < chunk.Size; row++)
                    {
                        var name = names.GetString(row);
                        if (name != NumberedSourceSql.RowColumn) columns.Add((name, types.GetString(row)));
                    }
                }
            }
        }
        var rows = session.ScalarInt64($"SELECT count(*) FROM {SqlText.Identifier(table)}");
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
