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
    /// Anchors sorted by how often a sample of candidates won on them, fewest wins first (ties by file order): the
    /// anchors a candidate is likely to lose come first, so a rejection becomes certain after fewer pairs.
    /// </summary>
    /// <param name="wins">Per anchor in file order, the wins of the sample (all anchors were scored for every sampled candidate).</param>
    public static AnchorOrder LosingFirst(IReadOnlyList<long> wins) =>
        new(Enumerable.Range(0, wins.Count).OrderBy(a => wins[a]).ThenBy(a => a).ToArray());

    /// <summary>Number of anchors.</summary>
    public int Count => anchors.Length;

    /// <summary>The anchor (file-order index) visited at walk position <paramref name="position"/>.</summary>
    public int this[int position] => anchors[position];

    /// <summary>The file-order indexes in walk order (recorded in the manifest).</summary>
    public IReadOnlyList<int> Anchors => anchors;
}
