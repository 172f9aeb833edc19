using Nuggets.Core.Data;

namespace Nuggets.Core.Anchors;

/// <summary>
/// Picks N distinct examples (by content hash) in one streaming pass, keeping the N with the smallest seeded
/// priority; memory is O(N), not O(rows). Rows without a response cannot be anchors (nothing to score) and are
/// never picked.
/// </summary>
public static class RandomAnchorSampler
{
    /// <summary>Samples up to <paramref name="count"/> examples from <paramref name="chunks"/>; the result is in row order.</summary>
    public static IReadOnlyList<Example> Sample(IEnumerable<IReadOnlyList<Example>> chunks, int count, int seed, Func<Example, bool> eligible)
    {
        // Max-heap on priority (PriorityQueue is a min-heap, so negate the comparison) holding the best `count`.
        var kept = new PriorityQueue<Example, (ulong Priority, long Row)>(
            Comparer<(ulong Priority, long Row)>.Create((a, b) => b.CompareTo(a)));
        var keptHashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            foreach (var example in chunk)
            {
                if (!eligible(example) || keptHashes.Contains(example.ContentHash)) continue;
                var key = (SeededOrder.Priority(seed, example.ContentHash), example.Row);
                if (kept.Count < count)
                {
                    kept.Enqueue(example, key);
                    keptHashes.Add(example.ContentHash);
                }
                else if (kept.TryPeek(out _, out var worst) && key.CompareTo(worst) < 0)
                {
                    keptHashes.Remove(kept.Dequeue().ContentHash);
                    kept.Enqueue(example, key);
                    keptHashes.Add(example.ContentHash);
                }
            }
        }
        return kept.UnorderedItems.Select(i => i.Element).OrderBy(e => e.Row).ToArray();
    }
}
