using System.Security.Cryptography;

namespace Nuggets.Core.Output;

/// <summary>
/// The one SHA-256 of a file's bytes, wherever a file is named by its hash: dataset inputs, outputs and stage rows in
/// manifests, the model's identity (part of the scorer fingerprint) and the pinned native libraries.
/// </summary>
public static class FileHash
{
    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    /// <remarks>Large sequential reads: a model is gigabytes, and hashing it is the whole cost of a run's model identity.</remarks>
    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
