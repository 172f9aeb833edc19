using System.Runtime.InteropServices;

namespace Nuggets.DuckDb.Native;

/// <summary>duckdb.h functions of the pinned libduckdb.so, grouped by C-API area in partial files.</summary>
internal static unsafe partial class DuckDbNative
{
    internal const string Library = "duckdb";

    [LibraryImport(Library, EntryPoint = "duckdb_library_version")]
    internal static partial byte* LibraryVersion();
}
