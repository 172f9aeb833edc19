using System.Runtime.InteropServices;
using Nuggets.DuckDb.Native;

namespace Nuggets.DuckDb.Sql;

/// <summary>A duckdb_result (materialised or streaming), read chunk by chunk.</summary>
internal sealed unsafe class QueryResult : IDisposable
{
    /// <summary>The struct lives in unmanaged memory so its address is stable for every call that takes a pointer.</summary>
    internal DuckDbResult* Pointer { get; } = (DuckDbResult*)NativeMemory.AllocZeroed((nuint)sizeof(DuckDbResult));

    private bool disposed;

    public int ColumnCount => (int)DuckDbNative.ColumnCount(Pointer);

    public long RowsChanged => (long)DuckDbNative.RowsChanged(Pointer);

    public string ColumnName(int column) => Marshal.PtrToStringUTF8((IntPtr)DuckDbNative.ColumnName(Pointer, (ulong)column)) ?? "";

    /// <summary>The column's logical type; dispose it.</summary>
    public DuckDbLogicalTypeHandle ColumnType(int column) => DuckDbNative.ColumnLogicalType(Pointer, (ulong)column);

    /// <summary>The next chunk, or null at the end.</summary>
    /// <exception cref="DuckDbException">Execution failed while producing the chunk (e.g. a corrupt page).</exception>
    public DataChunk? Next()
    {
        var chunk = DuckDbNative.FetchChunk(*Pointer);
        if (chunk == IntPtr.Zero)
        {
            var error = DuckDbNative.ResultError(Pointer);
            if (error != null)
                throw new DuckDbException(Marshal.PtrToStringUTF8((IntPtr)error) ?? "query failed", DuckDbNative.ResultErrorType(Pointer));
            return null;
        }
        var handle = new DuckDbDataChunkHandle(chunk);
        if (DuckDbNative.DataChunkGetSize(handle) == 0)
        {
            handle.Dispose();
            return null;
        }
        return new DataChunk(handle);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        DuckDbNative.DestroyResult(Pointer);
        NativeMemory.Free(Pointer);
    }
}
