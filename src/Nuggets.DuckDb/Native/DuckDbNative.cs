using System.Runtime.InteropServices;

namespace Nuggets.DuckDb.Native;

/// <summary>duckdb.h functions of the pinned libduckdb.so, grouped by C-API area in partial files.</summary>
/// <remarks>
/// Signatures follow duckdb.h of DuckDB v1.5.5 (src/include/duckdb.h, the nearest tagged header to the pinned
/// v1.5.6 binary; the C API is stable within a minor release). Handles are SafeHandles (SafeHandles.cs);
/// the duckdb_result struct is passed by pointer, except where the header takes it by value.
/// </remarks>
internal static unsafe partial class DuckDbNative
{
    internal const string Library = "duckdb";

    [LibraryImport(Library, EntryPoint = "duckdb_library_version")]
    internal static partial byte* LibraryVersion();

    /// <summary>Frees memory DuckDB allocated for the caller (error strings, struct child names).</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_free")]
    internal static partial void Free(void* pointer);

    /// <summary>Rows per data chunk (STANDARD_VECTOR_SIZE, 2048 in release builds).</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_vector_size")]
    internal static partial ulong VectorSize();
}
