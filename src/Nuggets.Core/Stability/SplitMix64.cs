namespace Nuggets.Core.Stability;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014; the constants of Vigna's reference code): a small, fully specified 64-bit
/// generator, so a seed gives the same numbers on every machine and .NET version (System.Random's algorithm is not
/// part of its contract). Not for cryptography.
/// </summary>
public struct SplitMix64
{
    private ulong state;

    /// <summary>A generator starting from <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// A uniform integer in [0, <paramref name="bound"/>), without modulo bias (Lemire's multiply-and-reject: the
    /// high word of x · bound, drawing again when the low word falls in the 2⁶⁴ mod bound values that would favour
    /// some results).
    /// </summary>
    public int NextBelow(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        var b = (ulong)bound;
        var high = Math.BigMul(Next(), b, out var low);
        if (low < b)
        {
            var reject = (0UL - b) % b;
            while (low < reject) high = Math.BigMul(Next(), b, out low);
        }
        return (int)high;
    }
}
