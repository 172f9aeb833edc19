namespace Nuggets.Hub;

/// <summary>A file of a repository at a commit, as the Hub describes it.</summary>
/// <param name="Path">Its path in the repository ('/'-separated).</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="BlobId">
/// Its ETag, which names its blob in the cache: the SHA-256 of an LFS file, the git blob hash of a small one.
/// </param>
/// <param name="Sha256">The SHA-256 the Hub's LFS metadata gives (null for a file stored in git).</param>
public sealed record RemoteFile(string Path, long Size, string BlobId, string? Sha256)
{
    /// <summary>A file whose ETag is 64 hex digits is an LFS file named by its SHA-256; 40 is a git blob hash.</summary>
    public static RemoteFile FromEtag(string path, long size, string etag) =>
        new(path, size, etag, etag.Length == 64 && etag.All(char.IsAsciiHexDigit) ? etag.ToLowerInvariant() : null);
}
