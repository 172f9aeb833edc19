using Nuggets.DuckDb.Native;

namespace Nuggets.DuckDb.Sql;

/// <summary>One duckdb_data_chunk: up to <c>duckdb_vector_size()</c> rows, one vector per column.</summary>
internal sealed class DataChunk(DuckDbDataChunkHandle handle) : IDisposable
{
    public int Size { get; } = (int)DuckDbNative.DataChunkGetSize(handle);

    /// <summary>The vector of a column; valid while this chunk is.</summary>
    public VectorView Vector(int column) => new(DuckDbNative.DataChunkGetVector(handle, (ulong)column));

    public void Dispose() => handle.Dispose();
}
