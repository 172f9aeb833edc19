namespace Nuggets.Core.Pipeline;

/// <summary>
/// The order in which a candidate's walk visits the anchors: position p of the walk is anchor <c>this[p]</c> (an index
/// in the anchors' file order). The order changes which pairs pruning decodes and where a pruned row stops, never a sum,
/// a full score or a selection.
/// </summary>
public sealed class AnchorOrder
{
    private readonly int[] anchors;

    private AnchorOrder(int[] anchors) => this.anchors = anchors;

    /// <summary>The anchors in file order.</summary>
    public static AnchorOrder FileOrder(int anchorCount) => new(Enumerable.Range(0, anchorCount).ToArray());

    /// <summary>
    /// Anchors sorted by the share of a sample of demonstrations that won on them, lowest first (ties by file order):
    /// the anchors a candidate is likely to lose come first, so a rejection becomes certain after fewer pairs. Shares
    /// are compared exactly (as fractions), and an anchor no demonstration was tried on comes last.
    /// </summary>
    /// <param name="wins">Per anchor in file order, the sample's wins.</param>
    /// <param name="trials">Per anchor in file order, the sample's trials.</param>
    public static AnchorOrder LosingFirst(IReadOnlyList<long> wins, IReadOnlyList<long> trials)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(wins.Count, trials.Count);
        var order = Enumerable.Range(0, wins.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            if (trials[a] == 0 || trials[b] == 0) return trials[a] == trials[b] ? a.CompareTo(b) : trials[a] == 0 ? 1 : -1;
            var byShare = (wins[a] * trials[b]).CompareTo(wins[b] * trials[a]);
            return byShare != 0 ? byShare : a.CompareTo(b);
        });
        return new AnchorOrder(order);
    }

    /// <summary>Number of anchors.</summary>
    public int Count => anchors.Length;

    /// <summary>The anchor (file-order index) visited at walk position <paramref name="position"/>.</summary>
    public int this[int position] => anchors[position];

    /// <summary>The file-order indexes in walk order (recorded in the manifest).</summary>
    public IReadOnlyList<int> Anchors => anchors;
}
