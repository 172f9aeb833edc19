using System.Runtime.InteropServices;

namespace Nuggets.DuckDb.Native;

/// <summary>Appender (duckdb.h): bulk inserts without SQL text per row.</summary>
internal static unsafe partial class DuckDbNative
{
    [LibraryImport(Library, EntryPoint = "duckdb_appender_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState AppenderCreate(DuckDbConnectionHandle connection, string? schema, string table, out DuckDbAppenderHandle appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_error")]
    internal static partial byte* AppenderError(DuckDbAppenderHandle appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_flush")]
    internal static partial DuckDbState AppenderFlush(DuckDbAppenderHandle appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_destroy")]
    internal static partial DuckDbState AppenderDestroy(ref IntPtr appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_end_row")]
    internal static partial DuckDbState AppenderEndRow(DuckDbAppenderHandle appender);

    [LibraryImport(Library, EntryPoint = "duckdb_append_int32")]
    internal static partial DuckDbState AppendInt32(DuckDbAppenderHandle appender, int value);

    [LibraryImport(Library, EntryPoint = "duckdb_append_int64")]
    internal static partial DuckDbState AppendInt64(DuckDbAppenderHandle appender, long value);

    [LibraryImport(Library, EntryPoint = "duckdb_append_double")]
    internal static partial DuckDbState AppendDouble(DuckDbAppenderHandle appender, double value);

    [LibraryImport(Library, EntryPoint = "duckdb_append_varchar_length")]
    internal static partial DuckDbState AppendVarcharLength(DuckDbAppenderHandle appender, byte* value, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_append_blob")]
    internal static partial DuckDbState AppendBlob(DuckDbAppenderHandle appender, byte* data, ulong length);

    /// <summary>Appends a whole chunk whose column types match the table's (how LIST values go in: the row-wise
    /// appender has no list setter).</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_append_data_chunk")]
    internal static partial DuckDbState AppendDataChunk(DuckDbAppenderHandle appender, DuckDbDataChunkHandle chunk);
}
