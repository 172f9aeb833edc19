using Nuggets.Core.Anchors;
using Nuggets.Core.Data;

namespace Nuggets.Core.Pipeline;

/// <summary>What the pilot found: the anchor order it derived, from how many candidates, and their wins per anchor.</summary>
/// <param name="Order">Anchors losing-first (<see cref="AnchorOrder.LosingFirst"/>).</param>
/// <param name="Candidates">Distinct candidates the pilot scored on every anchor.</param>
/// <param name="Wins">Per anchor in file order, how many of them won on it.</param>
internal sealed record PilotResult(AnchorOrder Order, int Candidates, long[] Wins);

/// <summary>
/// The anchor-order pilot: a seeded sample of candidates scored on every anchor, whose win rates order the anchors
/// losing-first for pruning. The sample depends only on the seed and the rows' content (never on the cache, the shard
/// or the row order), and the sums only on the pairs, so every run and every shard derives the same order; the pilot's
/// pairs go to the cache and are reused when scoring meets those candidates again.
/// </summary>
internal static class AnchorPilot
{
    /// <summary>The pilot takes at most one candidate per this many rows (5%).</summary>
    public const int RowsPerPilotCandidate = 20;

    /// <summary>
    /// Picks up to <paramref name="size"/> distinct candidates, and no more than one in <see cref="RowsPerPilotCandidate"/>
    /// rows: the rows with the lowest seeded priority, read once without tokenizing, then classified (a row that is an
    /// anchor or too long is passed over for the next).
    /// </summary>
    public static IReadOnlyList<CandidateRow> Pick(CandidateRows rows, int seed, int size, CancellationToken cancellation)
    {
        // Rows that are not candidates are passed over, so keep a margin of twice the size (and at least 16 more).
        var margin = 2 * size + 16;
        var best = new PriorityQueue<long, (ulong Priority, long Row)>(Comparer<(ulong, long)>.Create((a, b) => b.CompareTo(a)));
        long read = 0;
        foreach (var example in rows.Examples())
        {
            read++;
            var priority = (Priority(seed, example.ContentHash), example.Row);
            if (best.Count < margin) best.Enqueue(example.Row, priority);
            else if (best.TryPeek(out _, out var worst) && priority.CompareTo(worst) < 0) best.EnqueueDequeue(example.Row, priority);
        }
        cancellation.ThrowIfCancellationRequested();
        // A pilot candidate is scored on every anchor, never pruned: on a small dataset the pilot must stay a small share.
        size = (int)Math.Min(size, Math.Max(1, read / RowsPerPilotCandidate));
        var chosen = new HashSet<long>();
        while (best.TryDequeue(out var row, out _)) chosen.Add(row);
        var picked = new List<(ulong Priority, CandidateRow Row)>();
        foreach (var row in rows.ReadAllShards(e => chosen.Contains(e.Row)))
            if (row.Key is not null) picked.Add((Priority(seed, row.Example.ContentHash), row));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        return picked.OrderBy(p => p.Priority).ThenBy(p => p.Row.Example.Row)
            .Select(p => p.Row).Where(r => keys.Add(r.Key!)).Take(size).ToArray();
    }

    /// <summary>Scores the picked candidates on every anchor (file order, no pruning) and derives the order.</summary>
    public static PilotResult Run(IReadOnlyList<CandidateRow> picked, ChunkScorer scorer, int anchorCount, CancellationToken cancellation)
    {
        var tallies = picked.Select(r => new CandidateTally(r.Key!, r.Tokens!, winsNeeded: null, AnchorOrder.FileOrder(anchorCount))).ToArray();
        scorer.Score(tallies, cancellation);
        var scored = tallies.Where(t => t.SkipReason is null).ToArray();
        var wins = new long[anchorCount];
        foreach (var outcomes in scored.Select(t => t.Outcomes))
            for (var a = 0; a < anchorCount; a++)
                if (outcomes[a] == '1') wins[a]++;
        return new PilotResult(AnchorOrder.LosingFirst(wins), scored.Length, wins);
    }

    // Distinct from the priority that picks random anchors with the same seed, so the pilot is not the runners-up of that pick.
    private static ulong Priority(int seed, string contentHash) => SeededOrder.Priority(seed, "pilot/" + contentHash);
}
