using System.Security.Cryptography;
using System.Text;

namespace Nuggets.Hub;

/// <summary>
/// The hash a downloaded file must have: the SHA-256 of the Hub's LFS metadata, or for a small file stored in git its
/// git blob hash (SHA-1 of <c>"blob {size}\0"</c> and the bytes), which is what its ETag is. Fed incrementally, so a
/// download is hashed while it is written and a resumed one only re-reads the part it already had.
/// </summary>
internal sealed class ContentCheck : IDisposable
{
    private readonly IncrementalHash hash;
    private readonly string expected;

    private ContentCheck(IncrementalHash hash, string expected, string name)
    {
        (this.hash, this.expected, Name) = (hash, expected, name);
    }

    /// <summary><c>SHA-256</c> or <c>git SHA-1</c>: what the message calls the hash.</summary>
    public string Name { get; }

    /// <summary>The check for <paramref name="file"/>, or null when its ETag is neither kind of hash (then only the size is checked).</summary>
    public static ContentCheck? For(RemoteFile file)
    {
        if (file.Sha256 is { } sha) return new ContentCheck(IncrementalHash.CreateHash(HashAlgorithmName.SHA256), sha, "SHA-256");
        if (file.BlobId.Length != 40 || !file.BlobId.All(char.IsAsciiHexDigit)) return null;
        var git = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        git.AppendData(Encoding.ASCII.GetBytes($"blob {file.Size}\0"));
        return new ContentCheck(git, file.BlobId.ToLowerInvariant(), "git SHA-1");
    }

    public void Append(ReadOnlySpan<byte> bytes) => hash.AppendData(bytes);

    /// <summary>The hash of what was appended if it differs from the expected one; null when they agree.</summary>
    public string? Mismatch()
    {
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        return actual == expected ? null : actual;
    }

    public string Expected => expected;

    public void Dispose() => hash.Dispose();
}
