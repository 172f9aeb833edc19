using System.Runtime.InteropServices;

namespace Nuggets.DuckDb.Native;

/// <summary>Open/Connect and Configuration (duckdb.h).</summary>
internal static unsafe partial class DuckDbNative
{
    [LibraryImport(Library, EntryPoint = "duckdb_open_ext", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState OpenExt(string? path, out DuckDbDatabaseHandle database, DuckDbConfigHandle config, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "duckdb_close")]
    internal static partial void Close(ref IntPtr database);

    [LibraryImport(Library, EntryPoint = "duckdb_connect")]
    internal static partial DuckDbState Connect(DuckDbDatabaseHandle database, out DuckDbConnectionHandle connection);

    [LibraryImport(Library, EntryPoint = "duckdb_disconnect")]
    internal static partial void Disconnect(ref IntPtr connection);

    [LibraryImport(Library, EntryPoint = "duckdb_create_config")]
    internal static partial DuckDbState CreateConfig(out DuckDbConfigHandle config);

    [LibraryImport(Library, EntryPoint = "duckdb_set_config", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState SetConfig(DuckDbConfigHandle config, string name, string option);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_config")]
    internal static partial void DestroyConfig(ref IntPtr config);
}
