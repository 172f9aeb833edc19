using System.Runtime.InteropServices;
using Nuggets.DuckDb.Native;
using Nuggets.Native;

namespace Nuggets.DuckDb;

/// <summary>Loads the pinned libduckdb.so once per process and checks it is the version the bindings were written for.</summary>
public static unsafe class DuckDbRuntime
{
    /// <summary>The DuckDB release the bindings target.</summary>
    public const string ExpectedVersion = "v1.5.6";

    private static readonly Lock Gate = new();
    private static string? version;

    /// <summary>Loads DuckDB (idempotent) and returns its version string.</summary>
    /// <exception cref="NativeRuntimeException">The library is missing, does not load, or is another version.</exception>
    public static string Initialize()
    {
        lock (Gate)
        {
            if (version is not null) return version;
            NativeLibraryLoader.Register(typeof(DuckDbRuntime).Assembly);
            NativeLibraryLoader.Load("duckdb");
            var loaded = Marshal.PtrToStringUTF8((IntPtr)DuckDbNative.LibraryVersion()) ?? "";
            if (loaded != ExpectedVersion)
                throw new NativeRuntimeException(
                    $"{NativeLibraryLoader.FileNames["duckdb"]} in {NativeLibraryLoader.NativeDirectory} is DuckDB {loaded}, " +
                    $"but this tool was written for {ExpectedVersion}. Restore the pinned runtime: {NativeLibraryLoader.RestoreCommand}.");
            version = loaded;
            return version;
        }
    }
}
