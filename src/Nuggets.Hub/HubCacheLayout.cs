namespace Nuggets.Hub;

/// <summary>
/// Paths of the Hugging Face cache, as huggingface_hub lays it out, so each tool reuses the other's downloads:
/// <c>{root}/models--owner--name/blobs/{etag}</c> (the content, named by its SHA-256 for LFS files or its git hash for
/// small ones), <c>snapshots/{commit}/{path}</c> (relative symbolic links to the blobs), <c>refs/{revision}</c> (the
/// commit a branch or tag pointed at when last seen), and <c>{root}/.locks/models--owner--name/{etag}.lock</c>.
/// </summary>
/// <param name="Root">The cache root (<see cref="HubSettings.CacheRoot"/>).</param>
public sealed record HubCacheLayout(string Root)
{
    /// <summary>The repository's folder.</summary>
    public string RepoFolder(HubRepo repo) => Path.Combine(Root, repo.CacheFolder);

    /// <summary>The blob holding content <paramref name="blobId"/>.</summary>
    public string Blob(HubRepo repo, string blobId) => Path.Combine(RepoFolder(repo), "blobs", CheckBlobId(blobId));

    /// <summary>Where <paramref name="blobId"/> is downloaded to before it is verified and renamed into place (resumed from there).</summary>
    public string Incomplete(HubRepo repo, string blobId) => Blob(repo, blobId) + ".incomplete";

    /// <summary>The lock a downloader holds while it writes <paramref name="blobId"/>, so two runs never write one blob at once.</summary>
    public string Lock(HubRepo repo, string blobId) => Path.Combine(Root, ".locks", repo.CacheFolder, CheckBlobId(blobId) + ".lock");

    /// <summary>The folder of commit <paramref name="commit"/>'s files.</summary>
    public string Snapshot(HubRepo repo, string commit) => Path.Combine(RepoFolder(repo), "snapshots", CheckCommit(commit));

    /// <summary>The file for repository path <paramref name="repoPath"/> at <paramref name="commit"/>.</summary>
    public string SnapshotFile(HubRepo repo, string commit, string repoPath)
    {
        HubReference.CheckRepoPath(repoPath, repo.Display);
        return Path.Combine(Snapshot(repo, commit), repoPath.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>The file holding the commit of <paramref name="revision"/> (<c>refs/main</c>, <c>refs/refs/convert/parquet</c>).</summary>
    public string Ref(HubRepo repo, string revision)
    {
        HubReference.CheckRepoPath(revision, repo.Display);
        return Path.Combine(RepoFolder(repo), "refs", revision.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>Whether <paramref name="text"/> is a full commit hash (40 lowercase hex digits).</summary>
    public static bool IsCommit(string? text) => text is { Length: 40 } && text.All(char.IsAsciiHexDigitLower);

    private static string CheckCommit(string commit) =>
        IsCommit(commit) ? commit : throw new Core.NuggetsException($"The Hub answered '{commit}' where a commit hash belongs.", Core.ExitCodes.HubDownload);

    // A blob id names a file: it comes from the server, so it must not be able to climb out of blobs/.
    private static string CheckBlobId(string blobId) =>
        blobId.Length is > 0 and <= 128 && blobId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? blobId
            : throw new Core.NuggetsException($"The Hub answered '{blobId}' where a file's ETag belongs.", Core.ExitCodes.HubDownload);
}
