using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Tests;

/// <summary>Test helper: runs SQL in a throwaway in-memory DuckDB (to make fixture files and inspect outputs).</summary>
internal static class Sql
{
    public static void Run(params string[] statements)
    {
        using var session = DuckDbSession.Open(null);
        foreach (var statement in statements) session.Execute(statement);
    }

    /// <summary>Every value of the first column as text (via a VARCHAR cast), in result order.</summary>
    public static List<string?> Column(string query)
    {
        using var session = DuckDbSession.Open(null);
        using var result = session.Query($"SELECT CAST(v AS VARCHAR) FROM ({query}) AS t(v)");
        var values = new List<string?>();
        while (result.Next() is { } chunk)
        {
            using (chunk)
            {
                var vector = chunk.Vector(0);
                for (var row = 0; row < chunk.Size; row++) values.Add(vector.IsValid(row) ? vector.GetString(row) : null);
            }
        }
        return values;
    }

    public static string Quote(string path) => SqlText.Literal(path);
}
