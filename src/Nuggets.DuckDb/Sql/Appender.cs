using System.Runtime.InteropServices;
using System.Text;
using Nuggets.DuckDb.Native;

namespace Nuggets.DuckDb.Sql;

/// <summary>A duckdb_appender: rows go in column by column, then <see cref="EndRow"/>; <see cref="Flush"/> makes them visible.</summary>
internal sealed unsafe class Appender(DuckDbAppenderHandle handle) : IDisposable
{
    public Appender Append(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        fixed (byte* pointer = bytes)
            Check(DuckDbNative.AppendVarcharLength(handle, pointer, (ulong)bytes.Length));
        return this;
    }

    /// <summary>Appends a BLOB value (bytes as they are; no text decoding).</summary>
    public Appender AppendBlob(ReadOnlySpan<byte> value)
    {
        fixed (byte* pointer = value)
            Check(DuckDbNative.AppendBlob(handle, pointer, (ulong)value.Length));
        return this;
    }

    public Appender Append(long value)
    {
        Check(DuckDbNative.AppendInt64(handle, value));
        return this;
    }

    public Appender Append(int value)
    {
        Check(DuckDbNative.AppendInt32(handle, value));
        return this;
    }

    public Appender Append(double value)
    {
        Check(DuckDbNative.AppendDouble(handle, value));
        return this;
    }

    /// <summary>Appends every row of a chunk built for this appender's table (see <see cref="KeyVectorChunk"/>).</summary>
    public void AppendChunk(DuckDbDataChunkHandle chunk) => Check(DuckDbNative.AppendDataChunk(handle, chunk));

    public void EndRow() => Check(DuckDbNative.AppenderEndRow(handle));

    public void Flush() => Check(DuckDbNative.AppenderFlush(handle));

    public void Dispose() => handle.Dispose();

    private void Check(DuckDbState state)
    {
        if (state != DuckDbState.Success)
            throw new DuckDbException(Marshal.PtrToStringUTF8((IntPtr)DuckDbNative.AppenderError(handle)) ?? "append failed");
    }
}
