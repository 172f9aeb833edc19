namespace Nuggets.Core.Models;

/// <summary>
/// What the file system says about one version of a file without reading it: a model file whose stamp is unchanged
/// is taken to have unchanged bytes. The change time is there because a program can set the modification time back
/// (touch -d, rsync -t, cp -p), but not the change time; the inode, because replacing a file by renaming another over
/// it (how downloads and `cp` to a temporary name finish) gives a new one even when size and times match.
/// </summary>
/// <param name="Size">Bytes.</param>
/// <param name="ModifiedNanoseconds">Last modification (mtime), nanoseconds since the Unix epoch.</param>
/// <param name="ChangedNanoseconds">Last status change (ctime), nanoseconds since the Unix epoch.</param>
/// <param name="Inode">The inode number.</param>
public readonly record struct FileStamp(long Size, long ModifiedNanoseconds, long ChangedNanoseconds, ulong Inode);
