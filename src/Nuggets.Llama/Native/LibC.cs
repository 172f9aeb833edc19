using System.Runtime.InteropServices;

namespace Nuggets.Llama.Native;

/// <summary>
/// statx(2) through glibc (2.28+), for the inode and nanosecond times of a model file that .NET does not expose.
/// Layout from linux/stat.h (struct statx is the same on every architecture): fixed offsets, 256 bytes.
/// </summary>
internal static unsafe partial class LibC
{
    /// <summary>Resolves relative paths against the working directory.</summary>
    internal const int AtFdCwd = -100;

    internal const uint StatxMtime = 0x40;
    internal const uint StatxCtime = 0x80;
    internal const uint StatxIno = 0x100;
    internal const uint StatxSize = 0x200;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Statx(int directoryFd, string path, int flags, uint mask, StatxBuffer* buffer);
}

/// <summary>struct statx: only the fields read here are named.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    /// <summary>Which of the requested fields the file system filled in.</summary>
    [FieldOffset(0)] public uint Mask;
    [FieldOffset(32)] public ulong Inode;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(96)] public long ChangedSeconds;
    [FieldOffset(104)] public uint ChangedNanoseconds;
    [FieldOffset(112)] public long ModifiedSeconds;
    [FieldOffset(120)] public uint ModifiedNanoseconds;
}
