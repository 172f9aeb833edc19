using System.Runtime.InteropServices;

namespace Nuggets.DuckDb.Native;

/// <summary>Query Execution, Prepared Statements and Pending Results (duckdb.h).</summary>
internal static unsafe partial class DuckDbNative
{
    [LibraryImport(Library, EntryPoint = "duckdb_query", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState Query(DuckDbConnectionHandle connection, string sql, DuckDbResult* result);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_result")]
    internal static partial void DestroyResult(DuckDbResult* result);

    [LibraryImport(Library, EntryPoint = "duckdb_column_name")]
    internal static partial byte* ColumnName(DuckDbResult* result, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_column_logical_type")]
    internal static partial DuckDbLogicalTypeHandle ColumnLogicalType(DuckDbResult* result, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_column_count")]
    internal static partial ulong ColumnCount(DuckDbResult* result);

    [LibraryImport(Library, EntryPoint = "duckdb_rows_changed")]
    internal static partial ulong RowsChanged(DuckDbResult* result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_error")]
    internal static partial byte* ResultError(DuckDbResult* result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_error_type")]
    internal static partial DuckDbErrorType ResultErrorType(DuckDbResult* result);

    // duckdb_fetch_chunk takes the 48-byte duckdb_result by value (header: `duckdb_fetch_chunk(duckdb_result result)`).
    [LibraryImport(Library, EntryPoint = "duckdb_fetch_chunk")]
    internal static partial IntPtr FetchChunk(DuckDbResult result);

    [LibraryImport(Library, EntryPoint = "duckdb_prepare", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState Prepare(DuckDbConnectionHandle connection, string sql, out DuckDbPreparedStatementHandle statement);

    [LibraryImport(Library, EntryPoint = "duckdb_nparams")]
    internal static partial ulong ParameterCount(DuckDbPreparedStatementHandle statement);

    // Parameter indexes are 1-based (duckdb.h: duckdb_bind_*).
    [LibraryImport(Library, EntryPoint = "duckdb_bind_varchar", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState BindVarchar(DuckDbPreparedStatementHandle statement, ulong index, string value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int64")]
    internal static partial DuckDbState BindInt64(DuckDbPreparedStatementHandle statement, ulong index, long value);

    [LibraryImport(Library, EntryPoint = "duckdb_execute_prepared")]
    internal static partial DuckDbState ExecutePrepared(DuckDbPreparedStatementHandle statement, DuckDbResult* result);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_prepare")]
    internal static partial void DestroyPrepare(ref IntPtr statement);

    [LibraryImport(Library, EntryPoint = "duckdb_prepare_error")]
    internal static partial byte* PrepareError(DuckDbPreparedStatementHandle statement);

    // Marked "scheduled for removal" in duckdb.h v1.5.5, yet it is the only C entry point that yields a streaming
    // result there (duckdb_pending_prepared and duckdb_execute_prepared materialise everything). The benchmark's
    // flat RSS over 1–3 M rows (docs/benchmarks.md, row 7 and the earlier reader figures) is what shows the result really streams.
    [LibraryImport(Library, EntryPoint = "duckdb_pending_prepared_streaming")]
    internal static partial DuckDbState PendingPreparedStreaming(DuckDbPreparedStatementHandle statement, out DuckDbPendingResultHandle pending);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_pending")]
    internal static partial void DestroyPending(ref IntPtr pending);

    [LibraryImport(Library, EntryPoint = "duckdb_pending_error")]
    internal static partial byte* PendingError(DuckDbPendingResultHandle pending);

    [LibraryImport(Library, EntryPoint = "duckdb_execute_pending")]
    internal static partial DuckDbState ExecutePending(DuckDbPendingResultHandle pending, DuckDbResult* result);
}
