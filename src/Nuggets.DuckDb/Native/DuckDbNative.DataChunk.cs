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
}
