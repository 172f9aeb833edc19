using System.Runtime.InteropServices;

namespace Nuggets.Cli.Signals;

/// <summary>Ends the process at once, for a second stop signal.</summary>
internal static partial class ImmediateExit
{
    /// <summary>
    /// Exits with <paramref name="code"/> through <c>_exit(2)</c>: no managed shutdown, no atexit handlers and no native
    /// static destructors. <c>exit(3)</c> (what <see cref="Environment.Exit"/> ends in) would run llama.cpp's static
    /// destructors, which unload the CPU backend library while the main thread may still be decoding in it — a crash
    /// instead of the exit code. Nothing is lost by skipping them: stderr is written through, and the cache's committed
    /// transactions are in DuckDB's write-ahead log, which the next open replays.
    /// </summary>
    public static void Now(int code)
    {
        // The progress bars hide the terminal's cursor and show it again when they end, which they no longer will.
        if (!Console.IsOutputRedirected) Console.Out.Write("\u001b[?25h");
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsWindows()) Environment.Exit(code);
        Exit(code);
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void Exit(int status);
}
