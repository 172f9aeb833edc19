namespace Nuggets.Core.Pipeline;

/// <summary>
/// How many sums a run decodes in all, so progress can state a total that ends equal to what was decoded. The rows
/// are counted before scoring: every distinct candidate owes its pairs not in the cache, and the zero-shot sums not in
/// the cache are added. When a candidate is decided early (exact pruning) or skipped, the pairs it will never decode
/// leave the total; a candidate met again later owes nothing, since its first decision put all it needs in the cache.
/// </summary>
internal sealed class PairLedger
{
    private readonly Dictionary<string, int> owing = new(StringComparer.Ordinal);

    /// <summary>Sums this run decodes in all, those decoded included.</summary>
    public long Total { get; private set; }

    /// <summary>False while the rows are still being counted (then <see cref="Total"/> is partial and not reported).</summary>
    public bool Counted { get; private set; }

    /// <summary>A distinct candidate owes <paramref name="pairs"/> pairs not in the cache.</summary>
    public void Owe(string candidateKey, int pairs)
    {
        if (pairs > 0 && owing.TryAdd(candidateKey, pairs)) Total += pairs;
    }

    /// <summary>Zero-shot sums not in the cache.</summary>
    public void OweZeroShot(int sums) => Total += sums;

    /// <summary>Every row has been counted: the total is stated from now on.</summary>
    public void CountingDone() => Counted = true;

    /// <summary>
    /// A candidate is decided after this run decoded <paramref name="decoded"/> of its pairs: the rest of what it owed
    /// will never be decoded. Only the first decision of a key counts (a later one finds everything in the cache).
    /// </summary>
    public void Settle(string candidateKey, int decoded)
    {
        if (owing.Remove(candidateKey, out var owed)) Total -= owed - decoded;
    }
}
