using System.Security.Cryptography;
using Nuggets.Core.Data;

namespace Nuggets.DuckDb.Datasets;

/// <summary>What the one .NET pass learned about a file.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the file as it is on disk (a byte order mark included).</param>
/// <param name="ByteOrderMark">True when the file starts with the UTF-8 byte order mark EF BB BF.</param>
internal readonly record struct FilePassResult(string Sha256, bool ByteOrderMark);

/// <summary>
/// The one .NET pass over a dataset file: its SHA-256 (the manifest's input hash), whether it starts with a UTF-8 byte
/// order mark, and, for JSON, the nesting guard, computed from the same blocks so the file is read once for all three.
/// </summary>
internal static class FilePass
{
    /// <summary>The UTF-8 encoding of U+FEFF, which Windows editors and spreadsheet "CSV UTF-8" exports put first.</summary>
    public static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Hashes <paramref name="file"/>, guarding JSON nesting on the way.</summary>
    /// <exception cref="Nuggets.Core.NuggetsException">JSON nested too deep (CorruptDataset).</exception>
    public static FilePassResult HashAndGuard(ResolvedFile file)
    {
        var guard = file.Format is DatasetFormat.JsonLines or DatasetFormat.Json ? new JsonNestingGuard(file.Path) : null;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        Span<byte> head = stackalloc byte[3];
        var headLength = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var block = buffer.AsSpan(0, read);
            // A read may return fewer bytes than asked, so the first three bytes are gathered across blocks.
            if (headLength < head.Length)
            {
                var take = Math.Min(head.Length - headLength, block.Length);
                block[..take].CopyTo(head[headLength..]);
                headLength += take;
            }
            guard?.Feed(block); // the mark's bytes are not JSON punctuation: the guard needs no special case
            hash.AppendData(block);
        }
        return new FilePassResult(Convert.ToHexStringLower(hash.GetHashAndReset()), head[..headLength].SequenceEqual(Utf8ByteOrderMark));
    }
}
