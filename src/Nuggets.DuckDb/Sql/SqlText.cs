namespace Nuggets.DuckDb.Sql;

/// <summary>Quoting for values spliced into SQL text (paths, fingerprints, column names).</summary>
internal static class SqlText
{
    /// <summary>A standard SQL string literal: DuckDB treats backslashes literally, so doubling quotes is enough.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A quoted identifier, so any column name (spaces, keywords, quotes) is taken as is.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
