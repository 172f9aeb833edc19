using System.Runtime.InteropServices;

namespace Nuggets.DuckDb.Native;

/// <summary>Data Chunk, Vector and Validity Mask functions (duckdb.h).</summary>
internal static unsafe partial class DuckDbNative
{
    [LibraryImport(Library, EntryPoint = "duckdb_destroy_data_chunk")]
    internal static partial void DestroyDataChunk(ref IntPtr chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_size")]
    internal static partial ulong DataChunkGetSize(DuckDbDataChunkHandle chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_vector")]
    internal static partial IntPtr DataChunkGetVector(DuckDbDataChunkHandle chunk, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_data")]
    internal static partial void* VectorGetData(IntPtr vector);

    /// <summary>NULL when every row of the vector is valid.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_validity")]
    internal static partial ulong* VectorGetValidity(IntPtr vector);

    [LibraryImport(Library, EntryPoint = "duckdb_list_vector_get_child")]
    internal static partial IntPtr ListVectorGetChild(IntPtr vector);

    [LibraryImport(Library, EntryPoint = "duckdb_struct_vector_get_child")]
    internal static partial IntPtr StructVectorGetChild(IntPtr vector, ulong index);

    /// <summary>A new, empty chunk of vector-size capacity; <paramref name="types"/> points at column_count logical types.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_create_data_chunk")]
    internal static partial IntPtr CreateDataChunk(IntPtr* types, ulong columnCount);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_set_size")]
    internal static partial void DataChunkSetSize(DuckDbDataChunkHandle chunk, ulong size);

    /// <summary>Grows a LIST vector's child to hold <paramref name="capacity"/> elements; the child's data pointer may move.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_list_vector_reserve")]
    internal static partial DuckDbState ListVectorReserve(IntPtr vector, ulong capacity);

    [LibraryImport(Library, EntryPoint = "duckdb_list_vector_set_size")]
    internal static partial DuckDbState ListVectorSetSize(IntPtr vector, ulong size);

    /// <summary>Copies <paramref name="length"/> bytes into row <paramref name="index"/> of a VARCHAR or BLOB vector.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_vector_assign_string_element_len")]
    internal static partial void VectorAssignStringElementLen(IntPtr vector, ulong index, byte* value, ulong length);
}
