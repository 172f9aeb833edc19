using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nuggets.Llama.Native;

namespace Nuggets.Llama;

/// <summary>
/// Receives llama.cpp/ggml log lines. By default they are kept (the last few warnings/errors explain a failed
/// model load) instead of being printed, because llama.cpp writes hundreds of lines to stderr per model;
/// set <c>NUGGETS_LLAMA_LOG=1</c> to see them all.
/// </summary>
public static unsafe class LlamaLog
{
    private const int Kept = 20;
    private static readonly Queue<string> Recent = new();
    private static readonly bool Echo = Environment.GetEnvironmentVariable("NUGGETS_LLAMA_LOG") == "1";

    /// <summary>The most recent warning and error lines from llama.cpp, oldest first.</summary>
    public static IReadOnlyList<string> RecentProblems
    {
        get { lock (Recent) { return Recent.ToArray(); } }
    }

    /// <summary>Runs <paramref name="action"/> and returns the warning/error lines llama.cpp logged meanwhile.</summary>
    internal static (T Result, IReadOnlyList<string> Problems) Capture<T>(Func<T> action)
    {
        long before;
        lock (Recent) before = logged;
        var result = action();
        lock (Recent)
        {
            var fresh = (int)Math.Min(logged - before, Recent.Count);
            return (result, Recent.Skip(Recent.Count - fresh).ToArray());
        }
    }

    private static long logged;

    internal static void Install() => LlamaNative.LogSet(&OnLog, null);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(int level, byte* text, void* userData)
    {
        var line = Utf8.Read(text).TrimEnd('\n');
        if (Echo) Console.Error.WriteLine($"[llama.cpp] {line}");
        const int warn = 3, error = 4;
        if (level is warn or error && line.Length > 0)
        {
            lock (Recent)
            {
                Recent.Enqueue(line);
                logged++;
                while (Recent.Count > Kept) Recent.Dequeue();
            }
        }
    }
}
