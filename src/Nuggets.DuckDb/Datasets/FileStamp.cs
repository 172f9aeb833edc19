namespace Nuggets.DuckDb.Datasets;

/// <summary>
/// A file's size and last write time: read with one stat, no bytes. A file whose stamp moved between two moments was
/// (almost certainly) rewritten in between; that is how a run notices a dataset changed under it without reading it again.
/// </summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
{
    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        return new FileStamp(info.Length, info.LastWriteTimeUtc);
    }
}
