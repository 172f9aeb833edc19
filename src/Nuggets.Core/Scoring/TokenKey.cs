using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Nuggets.Core.Scoring;

/// <summary>
/// Content-addressed cache keys: SHA-256 of the exact token ids a pair was scored on, so a key changes exactly
/// when what the model sees changes (text, template, tokenizer, clipping) and never otherwise.
/// </summary>
public static class TokenKey
{
    /// <summary>Key of a candidate's token sequence.</summary>
    public static string OfCandidate(ReadOnlySpan<int> tokens) => Hash("c", tokens, 0);

    /// <summary>Key of an anchor: its tokens and where its response starts.</summary>
    public static string OfAnchor(AnchorSequence anchor) => Hash("a", anchor.Tokens, anchor.ResponseStart);

    private static string Hash(string kind, ReadOnlySpan<int> tokens, int responseStart)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.ASCII.GetBytes(kind));
        Span<byte> header = stackalloc byte[8];
        BitConverter.TryWriteBytes(header[..4], tokens.Length);
        BitConverter.TryWriteBytes(header[4..], responseStart);
        hash.AppendData(header);
        // Token ids are hashed as little-endian int32 (the only platform we ship is little-endian x64).
        hash.AppendData(MemoryMarshal.AsBytes(tokens));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
