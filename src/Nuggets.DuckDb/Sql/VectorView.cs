using System.Text;
using Nuggets.DuckDb.Native;

namespace Nuggets.DuckDb.Sql;

/// <summary>
/// Reads values straight out of a duckdb_vector (flat vectors, as chunks fetched from a result always are):
/// the validity mask says which rows are NULL, VARCHAR rows are duckdb_string_t, LIST rows are list entries
/// into a child vector, STRUCT fields are child vectors.
/// </summary>
internal readonly unsafe struct VectorView(IntPtr vector)
{
    /// <summary>False when the row is NULL. A missing mask (NULL pointer) means every row is valid.</summary>
    public bool IsValid(int row)
    {
        var validity = DuckDbNative.VectorGetValidity(vector);
        return validity == null || (validity[row >> 6] & (1UL << (row & 63))) != 0;
    }

    public string GetString(int row)
    {
        var value = (DuckDbStringT*)DuckDbNative.VectorGetData(vector) + row;
        var length = (int)value->Length;
        var bytes = length <= DuckDbStringT.InlineLength ? value->Inlined : value->Pointer;
        return Encoding.UTF8.GetString(bytes, length);
    }

    /// <summary>A BLOB (or VARCHAR) row's bytes; valid while the chunk is.</summary>
    public ReadOnlySpan<byte> GetBytes(int row)
    {
        var value = (DuckDbStringT*)DuckDbNative.VectorGetData(vector) + row;
        var length = (int)value->Length;
        return new ReadOnlySpan<byte>(length <= DuckDbStringT.InlineLength ? value->Inlined : value->Pointer, length);
    }

    /// <summary>FLOAT elements <paramref name="offset"/>.. of this vector (a LIST's child) copied into <paramref name="destination"/>.</summary>
    public void CopyFloats(ulong offset, Span<float> destination) =>
        new ReadOnlySpan<float>((float*)DuckDbNative.VectorGetData(vector) + offset, destination.Length).CopyTo(destination);

    public long GetInt64(int row) => ((long*)DuckDbNative.VectorGetData(vector))[row];

    public double GetDouble(int row) => ((double*)DuckDbNative.VectorGetData(vector))[row];

    public int GetInt32(int row) => ((int*)DuckDbNative.VectorGetData(vector))[row];

    public DuckDbListEntry GetListEntry(int row) => ((DuckDbListEntry*)DuckDbNative.VectorGetData(vector))[row];

    /// <summary>The elements of every row of a LIST vector, addressed by the list entries' offsets.</summary>
    public VectorView ListChild => new(DuckDbNative.ListVectorGetChild(vector));

    /// <summary>Field <paramref name="index"/> of a STRUCT vector.</summary>
    public VectorView StructChild(int index) => new(DuckDbNative.StructVectorGetChild(vector, (ulong)index));
}
