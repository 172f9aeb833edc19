using System.Security.Cryptography;

namespace Nuggets.Core.Output;

/// <summary>Content hashes of files recorded in manifests.</summary>
public static class FileHash
{
    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
