using Nuggets.Core.Output;

namespace Nuggets.Core.Models;

/// <summary>
/// The SHA-256 of a model file without reading its gigabytes on every run: hashed once, then reused while the file's
/// <see cref="FileStamp"/> (size, mtime, ctime, inode) stays the same.
/// </summary>
/// <param name="store">Where hashes are kept; null hashes every time.</param>
/// <param name="stampOf">The stamp of a file from the operating system (native code, hence passed in); null when
/// the platform cannot give one, and then the file is hashed every time.</param>
public sealed class ModelHasher(ModelIdentityStore? store, Func<string, FileStamp?> stampOf)
{
    /// <summary>A hasher that always reads the file (no store).</summary>
    public static ModelHasher Always { get; } = new(null, _ => null);

    /// <summary>The file's SHA-256: from the store when its stamp is unchanged, else computed (and stored).</summary>
    public ModelHash Hash(string modelPath)
    {
        var path = Path.GetFullPath(modelPath);
        var before = store is null ? null : stampOf(path);
        if (before is { } stamp && store!.Find(path, stamp) is { } known) return new ModelHash(known, Reused: true);

        var sha256 = FileHash.Sha256Of(path);
        // Stored only if nothing changed while it was read (a file still being copied in would otherwise be
        // remembered under a hash of half of it).
        if (before is { } start && stampOf(path) == start) store!.Save(path, start, sha256);
        return new ModelHash(sha256, Reused: false);
    }
}
