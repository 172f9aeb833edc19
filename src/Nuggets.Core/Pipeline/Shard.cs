using System.Globalization;

namespace Nuggets.Core.Pipeline;

/// <summary>Stable sharding by content hash: a row belongs to the same shard on every machine and every run.</summary>
public static class Shard
{
    /// <summary>True when the row with <paramref name="contentHash"/> belongs to shard <paramref name="index"/> of <paramref name="count"/>.</summary>
    public static bool Contains(string contentHash, int index, int count) =>
        count <= 1 || ulong.Parse(contentHash.AsSpan(0, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture) % (ulong)count == (ulong)index;

    /// <summary>Parses <c>i/n</c> (as in <c>--shard 2/4</c>).</summary>
    /// <exception cref="NuggetsException">Not of the form i/n with 0 ≤ i &lt; n.</exception>
    public static (int Index, int Count) Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out var i) && int.TryParse(parts[1], out var n) && n >= 1 && i >= 0 && i < n)
            return (i, n);
        throw new NuggetsException($"--shard is '{text}', but must be i/n with 0 <= i < n (e.g. 0/4).", ExitCodes.Usage);
    }
}
