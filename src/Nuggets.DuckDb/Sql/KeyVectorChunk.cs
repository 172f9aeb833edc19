using Nuggets.DuckDb.Native;

namespace Nuggets.DuckDb.Sql;

/// <summary>
/// Appends (BLOB key, FLOAT[] vector) rows. The C API's row-wise appender has no setter for LIST values, so the rows
/// are written into data chunks — keys into a BLOB vector, floats straight into the LIST's child vector — and each
/// chunk is appended whole. The floats are copied bit for bit (NaN payloads and -0 included).
/// </summary>
internal static unsafe class KeyVectorChunk
{
    /// <summary>Appends <paramref name="rows"/> to a table (or TEMP table) whose columns are (BLOB, FLOAT[]).</summary>
    /// <exception cref="DuckDbException">DuckDB refused a chunk (e.g. the table has other column types).</exception>
    public static void AppendAll(Appender appender, IReadOnlyCollection<KeyValuePair<byte[], float[]>> rows)
    {
        using var blob = DuckDbNative.CreateLogicalType(DuckDbType.Blob);
        using var real = DuckDbNative.CreateLogicalType(DuckDbType.Float);
        using var list = DuckDbNative.CreateListType(real);
        var capacity = (int)DuckDbNative.VectorSize();
        foreach (var batch in rows.Chunk(capacity)) AppendChunk(appender, blob, list, batch);
    }

    private static void AppendChunk(Appender appender, DuckDbLogicalTypeHandle blob, DuckDbLogicalTypeHandle list, KeyValuePair<byte[], float[]>[] rows)
    {
        var types = stackalloc IntPtr[2] { blob.DangerousGetHandle(), list.DangerousGetHandle() };
        var created = DuckDbNative.CreateDataChunk(types, 2);
        if (created == IntPtr.Zero) throw new DuckDbException("duckdb_create_data_chunk failed");
        using var chunk = new DuckDbDataChunkHandle(created);

        var keys = DuckDbNative.DataChunkGetVector(chunk, 0);
        var vectors = DuckDbNative.DataChunkGetVector(chunk, 1);
        var total = 0UL;
        foreach (var (_, vector) in rows) total += (ulong)vector.Length;
        if (DuckDbNative.ListVectorReserve(vectors, total) != DuckDbState.Success || DuckDbNative.ListVectorSetSize(vectors, total) != DuckDbState.Success)
            throw new DuckDbException($"cannot reserve {total} floats in a list vector");
        // Read only after the reserve: growing the child may have moved its buffer.
        var elements = (float*)DuckDbNative.VectorGetData(DuckDbNative.ListVectorGetChild(vectors));
        var entries = (DuckDbListEntry*)DuckDbNative.VectorGetData(vectors);

        var offset = 0UL;
        for (var row = 0; row < rows.Length; row++)
        {
            var (key, vector) = rows[row];
            fixed (byte* bytes = key) DuckDbNative.VectorAssignStringElementLen(keys, (ulong)row, bytes, (ulong)key.Length);
            entries[row] = new DuckDbListEntry { Offset = offset, Length = (ulong)vector.Length };
            vector.CopyTo(new Span<float>(elements + offset, vector.Length));
            offset += (ulong)vector.Length;
        }
        DuckDbNative.DataChunkSetSize(chunk, (ulong)rows.Length);
        appender.AppendChunk(chunk);
    }
}
