using Nuggets.Bench.Rows;
using Nuggets.DuckDb.Cache;

namespace Nuggets.Bench;

/// <summary>
/// Checks, within one repetition, that the rows computed the same numbers: every one-shot and zero-shot sum the
/// product stored in its cache (row 4) equals the naive row's bit for bit, and the reference row's sums equal the
/// naive row's sums clipped at 200 anchor tokens bit for bit. Exact scoring makes a pair's sum independent of how
/// it was decoded (docs/exactness.md), so any difference is a bug in a row, not noise.
/// </summary>
internal sealed record SumCheck(string What, long Compared, long Different, double MaxDifference, long Missing)
{
    public bool Passed => Compared > 0 && Different == 0;

    public override string ToString() =>
        Passed
            ? $"{What}: {Compared:N0} sums identical{(Missing > 0 ? $" ({Missing:N0} pairs the product skipped as longer than its context not compared)" : "")}"
            : $"{What}: {Different:N0} of {Compared:N0} sums differ, max |Δ| {MaxDifference:G3}";

    /// <summary>The product's cached sums (the cache of a full run) against the naive row's.</summary>
    public static SumCheck ProductAgainstNaive(string productCache, PairSums naive)
    {
        using var cache = ScoreCache.Open(productCache);
        var fingerprints = cache.Stats();
        if (fingerprints.Count != 1) throw new InvalidOperationException($"{productCache}: expected one scorer fingerprint, found {fingerprints.Count}");
        var fingerprint = fingerprints[0].Fingerprint;
        var pairs = cache.GetPairs(fingerprint, naive.CandidateKeys, naive.AnchorKeys);
        var zero = cache.GetZeroShot(fingerprint, naive.AnchorKeys);
        var expected = new List<double>();
        var actual = new List<double>();
        long missing = 0;
        for (var a = 0; a < naive.AnchorKeys.Length; a++)
        {
            if (!zero.TryGetValue(naive.AnchorKeys[a], out var sum)) { missing++; continue; }
            expected.Add(naive.ZeroShot[a]);
            actual.Add(sum.Sum);
        }
        for (var c = 0; c < naive.CandidateKeys.Length; c++)
            for (var a = 0; a < naive.AnchorKeys.Length; a++)
            {
                if (!pairs.TryGetValue((naive.CandidateKeys[c], naive.AnchorKeys[a]), out var sum)) { missing++; continue; }
                expected.Add(naive.OneShot[naive.Index(c, a)]);
                actual.Add(sum.Sum);
            }
        return Compare("row 4 (product) = row 2 (naive)", expected, actual, missing);
    }

    /// <summary>The reference row's sums against the naive row's, both clipped at 200 anchor tokens.</summary>
    public static SumCheck ReferenceAgainstNaive(PairSums reference, PairSums naive) =>
        Compare("row 3 (reference) = row 2 clipped at 200 tokens", [.. naive.ZeroShotClipped, .. naive.OneShotClipped],
            [.. reference.ZeroShotClipped, .. reference.OneShotClipped], 0);

    public static SumCheck Compare(string what, IReadOnlyList<double> expected, IReadOnlyList<double> actual, long missing)
    {
        if (expected.Count != actual.Count) throw new ArgumentException("expected and actual differ in length");
        long different = 0;
        double max = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            // Bitwise: two NaNs with the same bits are the same number here, and -0 is not +0.
            if (BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i])) continue;
            different++;
            max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        }
        return new SumCheck(what, expected.Count, different, max, missing);
    }
}
