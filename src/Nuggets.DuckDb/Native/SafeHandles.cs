using Microsoft.Win32.SafeHandles;

namespace Nuggets.DuckDb.Native;

// Every DuckDB object the bindings own, released by its duckdb_destroy_*/close function. The C functions take a
// pointer to the handle and null it, hence the local copy passed by ref.

/// <summary>duckdb_database.</summary>
internal sealed class DuckDbDatabaseHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        DuckDbNative.Close(ref h);
        return true;
    }
}

/// <summary>duckdb_connection.</summary>
internal sealed class DuckDbConnectionHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        DuckDbNative.Disconnect(ref h);
        return true;
    }
}

/// <summary>duckdb_config.</summary>
internal sealed class DuckDbConfigHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        DuckDbNative.DestroyConfig(ref h);
        return true;
    }
}

/// <summary>duckdb_prepared_statement.</summary>
internal sealed class DuckDbPreparedStatementHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        DuckDbNative.DestroyPrepare(ref h);
        return true;
    }
}

/// <summary>duckdb_pending_result.</summary>
internal sealed class DuckDbPendingResultHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        DuckDbNative.DestroyPending(ref h);
        return true;
    }
}

/// <summary>duckdb_appender.</summary>
internal sealed class DuckDbAppenderHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        DuckDbNative.AppenderDestroy(ref h);
        return true;
    }
}

/// <summary>duckdb_data_chunk.</summary>
internal sealed class DuckDbDataChunkHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DuckDbDataChunkHandle() : base(true) { }

    public DuckDbDataChunkHandle(IntPtr existing) : base(true) => SetHandle(existing);

    protected override bool ReleaseHandle()
    {
        var h = handle;
        DuckDbNative.DestroyDataChunk(ref h);
        return true;
    }
}

/// <summary>duckdb_logical_type.</summary>
internal sealed class DuckDbLogicalTypeHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        DuckDbNative.DestroyLogicalType(ref h);
        return true;
    }
}
