using System.Security.Cryptography;
using Nuggets.Core.Data;

namespace Nuggets.DuckDb.Datasets;

/// <summary>
/// The one .NET pass over a dataset file: its SHA-256 (the manifest's input hash) and, for JSON, the nesting guard,
/// computed from the same blocks so the file is read once for both.
/// </summary>
internal static class FilePass
{
    /// <summary>Hashes <paramref name="file"/>, guarding JSON nesting on the way; returns the lower-case hex SHA-256.</summary>
    /// <exception cref="Nuggets.Core.NuggetsException">JSON nested too deep (CorruptDataset).</exception>
    public static string HashAndGuard(ResolvedFile file)
    {
        var guard = file.Format is DatasetFormat.JsonLines or DatasetFormat.Json ? new JsonNestingGuard(file.Path) : null;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var block = buffer.AsSpan(0, read);
            guard?.Feed(block);
            hash.AppendData(block);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
