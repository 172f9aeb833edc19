using System.Runtime.InteropServices;

namespace Nuggets.Llama.Native;

internal static unsafe class Utf8
{
    /// <summary>Copies a NUL-terminated UTF-8 string owned by llama.cpp; null stays empty.</summary>
    internal static string Read(byte* text) => text == null ? string.Empty : Marshal.PtrToStringUTF8((IntPtr)text) ?? string.Empty;
}
