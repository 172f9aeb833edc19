using Nuggets.Core.Models;
using Nuggets.Llama.Native;

namespace Nuggets.Llama;

/// <summary>The <see cref="FileStamp"/> of a file, for <see cref="ModelHasher"/> (Core cannot call the OS for it).</summary>
public static unsafe class ModelFileStamps
{
    private const uint Wanted = LibC.StatxMtime | LibC.StatxCtime | LibC.StatxIno | LibC.StatxSize;

    /// <summary>
    /// Size, mtime, ctime and inode of <paramref name="path"/> (symbolic links followed), or null when the system
    /// cannot say (no statx: an old libc, musl, a sandbox that forbids it; a file system without one of the fields):
    /// the model is then hashed on every run, as before.
    /// </summary>
    public static FileStamp? Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        StatxBuffer buffer;
        try
        {
            if (LibC.Statx(LibC.AtFdCwd, path, 0, Wanted, &buffer) != 0) return null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
        if ((buffer.Mask & Wanted) != Wanted) return null;
        return new FileStamp(
            checked((long)buffer.Size),
            Nanoseconds(buffer.ModifiedSeconds, buffer.ModifiedNanoseconds),
            Nanoseconds(buffer.ChangedSeconds, buffer.ChangedNanoseconds),
            buffer.Inode);
    }

    private static long Nanoseconds(long seconds, uint nanoseconds) => seconds * 1_000_000_000 + nanoseconds;
}
