using System.Runtime.InteropServices;

namespace Nuggets.DuckDb.Native;

// Layouts and values from duckdb.h of DuckDB v1.5.5 (src/include/duckdb.h); AbiTests checks the sizes and
// round-trips values through SQL, so a header change in a future pin fails a test instead of corrupting memory.

/// <summary>duckdb_state.</summary>
internal enum DuckDbState
{
    Success = 0,
    Error = 1,
}

/// <summary>duckdb_type (the subset this project reads; values as in the header).</summary>
internal enum DuckDbType
{
    Invalid = 0,
    Boolean = 1,
    BigInt = 5,
    Float = 10,
    Double = 11,
    Varchar = 17,
    Blob = 18,
    List = 24,
    Struct = 25,
    Map = 26,
    Array = 33,
}

/// <summary>duckdb_error_type (the values this project tells apart).</summary>
internal enum DuckDbErrorType
{
    Invalid = 0,
    Conversion = 2,
    Catalog = 13,
    Parser = 14,
    Binder = 24,
    Io = 28,
    Interrupt = 29,
    InvalidInput = 32,
}

/// <summary>duckdb_result: six pointer-sized fields, 48 bytes on 64-bit; only internal_data is live.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbResult
{
    public ulong DeprecatedColumnCount;
    public ulong DeprecatedRowCount;
    public ulong DeprecatedRowsChanged;
    public IntPtr DeprecatedColumns;
    public IntPtr DeprecatedErrorMessage;
    public IntPtr InternalData;
}

/// <summary>
/// duckdb_string_t (16 bytes): a 4-byte length, then either the bytes inlined (length ≤ 12) or a 4-byte
/// prefix and a pointer to the whole string.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal unsafe struct DuckDbStringT
{
    /// <summary>Strings up to this many bytes are stored inside the struct.</summary>
    public const int InlineLength = 12;

    [FieldOffset(0)] public uint Length;
    [FieldOffset(4)] public fixed byte Inlined[InlineLength];
    [FieldOffset(8)] public byte* Pointer;
}

/// <summary>duckdb_list_entry (16 bytes): where a row's elements start in the child vector, and how many.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbListEntry
{
    public ulong Offset;
    public ulong Length;
}
