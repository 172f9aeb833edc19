using System.Runtime.InteropServices;

namespace Nuggets.DuckDb.Native;

/// <summary>Logical Type Interface (duckdb.h).</summary>
internal static unsafe partial class DuckDbNative
{
    [LibraryImport(Library, EntryPoint = "duckdb_get_type_id")]
    internal static partial DuckDbType GetTypeId(DuckDbLogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_list_type_child_type")]
    internal static partial DuckDbLogicalTypeHandle ListTypeChildType(DuckDbLogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_struct_type_child_count")]
    internal static partial ulong StructTypeChildCount(DuckDbLogicalTypeHandle type);

    /// <summary>The returned string must be freed with <see cref="Free"/>.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_struct_type_child_name")]
    internal static partial byte* StructTypeChildName(DuckDbLogicalTypeHandle type, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_struct_type_child_type")]
    internal static partial DuckDbLogicalTypeHandle StructTypeChildType(DuckDbLogicalTypeHandle type, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_logical_type")]
    internal static partial void DestroyLogicalType(ref IntPtr type);

    [LibraryImport(Library, EntryPoint = "duckdb_create_logical_type")]
    internal static partial DuckDbLogicalTypeHandle CreateLogicalType(DuckDbType type);

    [LibraryImport(Library, EntryPoint = "duckdb_create_list_type")]
    internal static partial DuckDbLogicalTypeHandle CreateListType(DuckDbLogicalTypeHandle child);
}
