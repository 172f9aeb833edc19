using Nuggets.Core.Configuration;

namespace Nuggets.Core.Pipeline;

/// <summary>
/// Exact pruning for top-k selection (<c>top</c>, <c>topPercent</c>): a candidate stops being scored once k rows are
/// certainly ranked ahead of it (<see cref="KthBest"/>), and every candidate that can still be selected is scored on
/// every anchor. The selection — rows, order and golden scores — is therefore the one full scoring makes.
/// </summary>
/// <remarks>
/// The order of work makes the bound tighten early, and depends on the sums only (never on the cache), so a run is
/// repeatable pair for pair:
/// <list type="number">
/// <item>Survey: every candidate is scored on the first quarter of the anchors (at least one).</item>
/// <item>Deepen the promising: the candidates ranked best by that survey (wins, then first row) that make up 2k rows
/// are scored on every anchor, which puts a k-th best close to the final one in place.</item>
/// <item>The rest, in row order, a small chunk at a time: each is held to the wins it needs against the k-th best known
/// before its chunk (<see cref="KthBest.WinsNeeded"/>), scored only as far as a rejection can become certain, and the
/// k-th best is recomputed after every chunk (<see cref="BoundChunk"/> candidates, so it keeps up with the rows that
/// finish).</item>
/// </list>
/// All candidates are kept in memory (their tokens included) until the end, since the bound needs every row.
/// </remarks>
internal sealed class RankedScoring(ChunkScorer scorer, int anchorCount, SelectionOptions selection, int candidatesPerChunk)
{
    /// <summary>Anchors the survey scores every candidate on.</summary>
    public static int SurveyDepth(int anchorCount) => Math.Max(1, (anchorCount + 3) / 4);

    /// <summary>Scores <paramref name="candidates"/> (each distinct candidate once, in order of first row) until each is decided.</summary>
    public void Score(IReadOnlyList<CandidateTally> candidates, CancellationToken cancellation)
    {
        foreach (var candidate in candidates) candidate.Limit = SurveyDepth(anchorCount);
        InChunks(candidates, cancellation);
        foreach (var candidate in candidates) candidate.Limit = anchorCount;

        // After the survey every candidate has been given to the engine once, so none can be skipped any more: k and
        // the k-th best are counted over rows that will all be scored.
        var live = candidates.Where(c => c.SkipReason is null).ToArray();
        var k = RowsToSelect(live.Sum(c => (long)c.Rows));
        if (k == 0)
        {
            InChunks(live, cancellation);
            return;
        }

        var promising = new List<CandidateTally>();
        long promisingRows = 0;
        foreach (var candidate in live.OrderByDescending(c => c.Wins).ThenBy(c => c.FirstRow))
        {
            if (promisingRows >= 2 * k) break;
            promising.Add(candidate);
            promisingRows += candidate.Rows;
        }
        InChunks(promising, cancellation);

        foreach (var chunk in live.Where(c => !c.Done).Chunk(BoundChunk(live.Length)))
        {
            if (KthBest.Of(live, (int)Math.Min(k, int.MaxValue), anchorCount) is { } kth)
                foreach (var candidate in chunk) candidate.WinsNeeded = kth.WinsNeeded(candidate.FirstRow);
            scorer.Score(chunk, cancellation);
        }
    }

    /// <summary>
    /// Candidates scored between two computations of the k-th best: small, so the bound keeps up with the rows that
    /// finish, and growing with the data (the computation is linear in the rows), so it costs about 2,048 passes over them.
    /// </summary>
    public int BoundChunk(int candidates) => Math.Min(candidatesPerChunk, Math.Max(16, candidates / 2048));

    /// <summary>How many rows the selection keeps out of <paramref name="rows"/> scored rows (<see cref="Selection.Selector.Quota"/>).</summary>
    public long RowsToSelect(long rows) => Selection.Selector.Quota(selection.Mode, selection.Top, selection.TopPercent, rows);

    private void InChunks(IEnumerable<CandidateTally> candidates, CancellationToken cancellation)
    {
        foreach (var chunk in candidates.Where(c => c.NeedsWork).Chunk(candidatesPerChunk))
            scorer.Score(chunk, cancellation);
    }
}
