using System.Security.Cryptography;

namespace Nuggets.DuckDb.Datasets;

/// <summary>SHA-256 of input files, for the manifest's record of exactly what was read.</summary>
internal static class DatasetHashing
{
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
