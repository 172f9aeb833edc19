using System.Buffers;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Cache;

/// <summary>
/// Cache keys are lower-case hex SHA-256 digests at the API (TokenKey, StageCalls) and 32-byte BLOBs in the file:
/// half the bytes, and far less for the dictionary compression and joins to chew on.
/// </summary>
internal static class CacheKey
{
    /// <summary>Bytes of a key in the file.</summary>
    public const int Length = 32;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>The 32 bytes of a 64-character lower-case hex key.</summary>
    /// <exception cref="ArgumentException">The key is not a lower-case hex SHA-256 digest (a programming error: every
    /// key the pipeline makes is one; accepting others would make two spellings of one key).</exception>
    public static byte[] ToBytes(string key)
    {
        if (key.Length != Length * 2 || key.AsSpan().ContainsAnyExcept(LowerHex))
            throw new ArgumentException($"A score cache key must be a lower-case hex SHA-256 digest (64 characters), not '{key}'.", nameof(key));
        return Convert.FromHexString(key);
    }

    /// <summary>The hex key of 32 stored bytes.</summary>
    public static string FromBytes(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
