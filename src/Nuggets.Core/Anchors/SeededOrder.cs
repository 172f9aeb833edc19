using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Nuggets.Core.Anchors;

/// <summary>
/// A seeded pseudo-random order of examples that depends only on (seed, content hash): the same rows are picked
/// whatever their position, file split or shard, and a streaming pass keeps just the N best.
/// </summary>
internal static class SeededOrder
{
    public static ulong Priority(int seed, string contentHash)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes($"{seed}:{contentHash}"), digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }
}
