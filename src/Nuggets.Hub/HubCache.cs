using Nuggets.Core;

namespace Nuggets.Hub;

/// <summary>
/// Reads and writes the Hugging Face cache: refs, snapshot links and the files a snapshot already holds. Every write is a
/// temporary name renamed into place, so another process (this tool or huggingface_hub) never sees half a ref or link.
/// </summary>
/// <param name="Layout">Where things go.</param>
public sealed class HubCache(HubCacheLayout Layout)
{
    /// <summary>The layout written to.</summary>
    public HubCacheLayout Layout { get; } = Layout;

    /// <summary>The commit <paramref name="revision"/> pointed at when last resolved, or null when the cache has no such ref.</summary>
    public string? ReadRef(HubRepo repo, string revision)
    {
        if (HubCacheLayout.IsCommit(revision)) return revision;
        var path = Layout.Ref(repo, revision);
        return File.Exists(path) && File.ReadAllText(path).Trim() is var commit && HubCacheLayout.IsCommit(commit) ? commit : null;
    }

    /// <summary>Records that <paramref name="revision"/> is at <paramref name="commit"/> (nothing for a revision that is a commit).</summary>
    public void WriteRef(HubRepo repo, string revision, string commit)
    {
        if (HubCacheLayout.IsCommit(revision) || ReadRef(repo, revision) == commit) return;
        Writing(() => Replace(Layout.Ref(repo, revision), temporary => File.WriteAllText(temporary, commit)));
    }

    /// <summary>
    /// Makes <c>snapshots/{commit}/{path}</c> a relative link to the blob (as huggingface_hub does, so the snapshot folder
    /// moves with the cache) unless it already resolves to a file.
    /// </summary>
    public string Link(HubRepo repo, string commit, string repoPath, string blobId)
    {
        var file = Layout.SnapshotFile(repo, commit, repoPath);
        if (File.Exists(file)) return file;
        var blob = Layout.Blob(repo, blobId);
        Writing(() => Replace(file, temporary => File.CreateSymbolicLink(temporary, Path.GetRelativePath(Path.GetDirectoryName(file)!, blob))));
        return file;
    }

    /// <summary>The repository paths of every file in the snapshot of <paramref name="commit"/> (links that resolve), '/'-separated.</summary>
    public IReadOnlyList<string> SnapshotFiles(HubRepo repo, string commit)
    {
        var folder = Layout.Snapshot(repo, commit);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(File.Exists) // a dangling link (its blob deleted) is not a cached file
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    private static void Replace(string path, Action<string> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            write(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary) || new FileInfo(temporary).LinkTarget is not null) File.Delete(temporary);
        }
    }

    /// <summary>Turns a failed cache write into the cache's exit code (disk full, no permission), naming the folder.</summary>
    internal void Writing(Action write)
    {
        try
        {
            write();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(Layout.Root, error);
        }
    }

    internal static NuggetsException CannotWrite(string root, Exception error) => new(
        $"Cannot write the Hugging Face cache {root}: {error.Message}. Free space there or point HF_HUB_CACHE (or HF_HOME) elsewhere.",
        ExitCodes.HubCacheWrite, error);
}
