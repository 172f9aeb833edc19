using System.Buffers.Binary;
using Nuggets.Core;

namespace Nuggets.Llama;

/// <summary>
/// Checks a model file's GGUF header before llama.cpp parses it, so a file that is not GGUF, is cut short, or
/// declares absurd counts gets a clear message instead of whatever llama.cpp makes of it (it trusts the counts it
/// reads and may try to allocate them).
/// </summary>
public static class GgufHeader
{
    private const int HeaderBytes = 24; // magic, version, tensor count, metadata count
    private const int SmallestTensorInfo = 8 + 1 + 4 + 8 + 4 + 8; // name length + 1 char, n_dims, one dim, type, offset
    private const int SmallestMetadataEntry = 8 + 1 + 4 + 1; // key length + 1 char, type, one byte of value

    /// <summary>Throws <see cref="ModelLoadException"/> naming the file and what is wrong, or returns the GGUF version.</summary>
    public static uint Check(string path)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        long length;
        using (var stream = File.OpenRead(path))
        {
            length = stream.Length;
            if (stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) < HeaderBytes)
                throw new ModelLoadException($"Model file {path} is {length} bytes, too short to be a GGUF model (truncated?).");
        }
        if (!header[..4].SequenceEqual("GGUF"u8))
            throw new ModelLoadException($"Model file {path} is not a GGUF model (it does not start with 'GGUF'; llama.cpp reads only GGUF files).");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (version is < 2 or > 3)
            throw new ModelLoadException($"Model file {path} is GGUF version {version}; llama.cpp reads versions 2 and 3.");
        var tensors = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        var metadata = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        // Every declared entry takes at least a few bytes, so counts the file cannot hold mean a damaged header.
        if (tensors > (ulong)(length / SmallestTensorInfo) || metadata > (ulong)(length / SmallestMetadataEntry))
            throw new ModelLoadException(
                $"Model file {path} declares {tensors} tensors and {metadata} metadata entries, more than its {length} bytes can hold (damaged or truncated).");
        if (tensors == 0)
            throw new ModelLoadException($"Model file {path} holds no tensors; it is not a usable model.");
        return version;
    }
}
