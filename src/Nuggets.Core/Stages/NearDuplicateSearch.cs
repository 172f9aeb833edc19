using System.Numerics.Tensors;

namespace Nuggets.Core.Stages;

/// <summary>
/// Greedy near-duplicate removal in row order: a row whose cosine similarity to an earlier kept row is at least the
/// threshold is a duplicate of the first such row. Similarities are computed tile by tile (a block of rows against a
/// block of kept rows), so memory is the vectors plus one row's best match, never the n × n matrix.
/// </summary>
public static class NearDuplicateSearch
{
    /// <summary>For each row, the index of the kept row it duplicates, or −1 when it is kept.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled.</exception>
    public static int[] Find(IReadOnlyList<float[]> vectors, double threshold, int blockRows = 1024, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        var unit = vectors.Select(Normalised).ToArray();
        var duplicateOf = new int[unit.Length];
        var kept = new List<int>();
        for (var start = 0; start < unit.Length; start += blockRows)
        {
            cancellation.ThrowIfCancellationRequested();
            var end = Math.Min(unit.Length, start + blockRows);
            var keptBefore = kept.ToArray();
            // Rows of this block against every row kept before it: independent, so in parallel. A block against a large
            // kept set takes long, so the token is checked between rows too.
            Parallel.For(start, end, new ParallelOptions { CancellationToken = cancellation }, i => duplicateOf[i] = FirstAbove(unit, i, keptBefore, threshold));
            // Inside the block the decision of each row depends on the rows before it.
            for (var i = start; i < end; i++)
            {
                if (duplicateOf[i] < 0)
                {
                    for (var j = start; j < i; j++)
                    {
                        if (duplicateOf[j] < 0 && TensorPrimitives.Dot(unit[i], unit[j]) >= threshold) { duplicateOf[i] = j; break; }
                    }
                }
                if (duplicateOf[i] < 0) kept.Add(i);
            }
        }
        return duplicateOf;
    }

    private static int FirstAbove(float[][] unit, int row, int[] kept, double threshold)
    {
        foreach (var j in kept)
        {
            if (TensorPrimitives.Dot(unit[row], unit[j]) >= threshold) return j;
        }
        return -1;
    }

    private static float[] Normalised(float[] vector)
    {
        var copy = (float[])vector.Clone();
        var norm = TensorPrimitives.Norm(copy);
        if (norm > 0) TensorPrimitives.Divide(copy, norm, copy);
        return copy;
    }
}
