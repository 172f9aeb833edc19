namespace Nuggets.Core.Pipeline;

/// <summary>
/// What is already certain about the k-th best row of a top-k selection, which ranks rows by wins (more first) and
/// then by row (lower first), as <see cref="Selection.Selector"/> does. Every row has a lower bound on its final wins
/// (the wins seen so far); the k-th best row by those lower bounds is <see cref="Wins"/> at row <see cref="Row"/>. Its
/// k rows will finish at least where they are, so a candidate whose best possible finish (wins so far + anchors left,
/// at its first row) ranks below that key has k rows certainly ahead of it and cannot be selected.
/// </summary>
/// <param name="Wins">Lower bound on the wins of the k-th best row.</param>
/// <param name="Row">That row's number.</param>
internal readonly record struct KthBest(int Wins, long Row)
{
    /// <summary>
    /// The fewest final wins that keep a candidate whose first row is <paramref name="firstRow"/> in contention: a tie
    /// at <see cref="Wins"/> is enough when the candidate's row comes first, one more win is needed otherwise.
    /// </summary>
    public int WinsNeeded(long firstRow) => firstRow < Row ? Wins : Wins + 1;

    /// <summary>
    /// The k-th best key over the rows of <paramref name="candidates"/>, each row ranked by its candidate's wins so far;
    /// null when there are fewer than k rows (nothing is certain yet).
    /// </summary>
    /// <remarks>
    /// Only candidates that can no longer be skipped may be given: a skipped row is not scored, so it must never be
    /// counted among the rows ahead of another. Linear in the rows (a histogram of wins, then the rows of one count).
    /// </remarks>
    public static KthBest? Of(IEnumerable<CandidateTally> candidates, int k, int anchorCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var list = candidates as IReadOnlyCollection<CandidateTally> ?? candidates.ToArray();
        var rowsAt = new long[anchorCount + 1];
        foreach (var candidate in list) rowsAt[candidate.Wins] += candidate.Rows;
        long above = 0;
        for (var wins = anchorCount; wins >= 0; wins--)
        {
            if (above + rowsAt[wins] < k)
            {
                above += rowsAt[wins];
                continue;
            }
            // The k-th row has this many wins: it is the (k − above)-th lowest row among the rows that have them.
            var tied = list.Where(c => c.Wins == wins).SelectMany(c => c.RowNumbers).Order().ToArray();
            return new KthBest(wins, tied[k - above - 1]);
        }
        return null;
    }
}
