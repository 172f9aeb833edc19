using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Datasets;

/// <summary>The in-memory DuckDB the reader and writer work in.</summary>
internal static class ReaderSession
{
    /// <summary>
    /// Opens an in-memory database. Insertion order is preserved (DuckDB's default, set explicitly because row
    /// numbers depend on it); <paramref name="threads"/> = 1 makes every operator sequential, for byte-identical output.
    /// <paramref name="temporaryDirectory"/>, when given, is where DuckDB spills what does not fit its memory limit
    /// (by default an in-memory database would spill to <c>.tmp</c> in the working directory), and
    /// <paramref name="memoryLimit"/> (DuckDB's syntax, e.g. <c>1GB</c>) how much it keeps in memory before spilling.
    /// </summary>
    public static DuckDbSession Open(int? threads = null, string? temporaryDirectory = null, string? memoryLimit = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["preserve_insertion_order"] = "true",
            // No extension may be fetched or loaded implicitly: Parquet, JSON and CSV are built into the pinned library.
            ["autoinstall_known_extensions"] = "false",
            ["autoload_known_extensions"] = "false",
        };
        if (temporaryDirectory is not null) settings["temp_directory"] = temporaryDirectory;
        if (memoryLimit is not null) settings["memory_limit"] = memoryLimit;
        if (threads is { } n) settings["threads"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return DuckDbSession.Open(null, settings);
    }
}
