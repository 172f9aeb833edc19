using System.Security.Cryptography;
using System.Text;

namespace Nuggets.Core.Data;

/// <summary>
/// The content hash of an example: SHA-256 over a canonical, length-prefixed encoding of its fields, so
/// ("a", "bc") and ("ab", "c") differ and the hash does not depend on which file or column order it came from.
/// </summary>
public static class ContentHash
{
    /// <summary>Lower-case hex SHA-256 of the example's canonical text.</summary>
    public static string Of(Example example)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (example.Messages is { } messages)
        {
            Append(hash, "chat");
            foreach (var message in messages)
            {
                Append(hash, message.Role);
                Append(hash, message.Content);
            }
        }
        else
        {
            Append(hash, "alpaca");
            Append(hash, example.Instruction);
            Append(hash, example.Input);
            Append(hash, example.Output);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[8];
        BitConverter.TryWriteBytes(length, (long)bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
