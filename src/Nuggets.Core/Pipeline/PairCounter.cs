using Nuggets.Core.Data;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>
/// The pass before scoring that counts what the run has to decode: for each distinct candidate, the pairs not in the
/// cache that its walk through the anchors can still need. It reads and tokenizes every row once more, which is cheap
/// next to decoding, and buys a progress total that is right from the first scored pair (0 on a rerun the cache
/// covers), and a bad row found before any decoding.
/// </summary>
internal static class PairCounter
{
    public static void Count(
        CandidateRows rows, IScoreCache cache, string fingerprint, IReadOnlyList<string> anchorKeys, IReadOnlyList<LogProbSum> zeroShot,
        ThresholdRule? rule, AnchorOrder order, int candidatesPerQuery, RunCounters counters, CancellationToken cancellation)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var batch = new List<string>();
        long read = 0;

        void Query()
        {
            cancellation.ThrowIfCancellationRequested();
            if (batch.Count > 0)
            {
                var cached = cache.GetPairs(fingerprint, batch, anchorKeys as IReadOnlyCollection<string>);
                foreach (var key in batch) counters.Pairs.Owe(key, Needed(key, cached, anchorKeys, zeroShot, rule, order));
                batch.Clear();
            }
            counters.Detail = $"{read:N0}/{counters.RowsTotal:N0} rows read";
            counters.ReportProgress();
        }

        foreach (var row in rows.Read())
        {
            read++;
            if (row.Key is { } key && seen.Add(key))
            {
                batch.Add(key);
                if (batch.Count >= candidatesPerQuery) Query();
            }
        }
        Query();
        counters.Pairs.CountingDone();
        counters.ReportProgress(); // the total, stated
    }

    /// <summary>
    /// The pairs a candidate can still need: its walk is replayed over the cached sums exactly as scoring will walk
    /// it (whole blocks, in the run's anchor order), so a candidate that the cache already decides (pruned by an earlier run)
    /// needs none; past the first block with a missing sum, every missing pair counts, and pruning takes off later
    /// what it saves.
    /// </summary>
    private static int Needed(
        string key, IReadOnlyDictionary<(string, string), LogProbSum> cached, IReadOnlyList<string> anchorKeys, IReadOnlyList<LogProbSum> zeroShot,
        ThresholdRule? rule, AnchorOrder order)
    {
        var walk = new CandidateTally(key, [], rule?.WinsNeeded, order);
        while (!walk.Done)
        {
            var block = walk.NextBlock();
            var sums = new List<(LogProbSum Sum, int Anchor)>();
            for (var p = block.Start.Value; p < block.End.Value && cached.TryGetValue((key, anchorKeys[walk.AnchorAt(p)]), out var sum); p++)
                sums.Add((sum, walk.AnchorAt(p)));
            if (sums.Count < block.End.Value - block.Start.Value) break;
            for (var i = 0; i < sums.Count && !walk.Done; i++) walk.Advance(GoldenScore.IsWin(sums[i].Sum, zeroShot[sums[i].Anchor]));
        }
        if (walk.Done) return 0;
        var needed = 0;
        // Per anchor position, as scoring asks for them (two anchors with the same tokens are two positions).
        for (var p = walk.Position; p < anchorKeys.Count; p++)
            if (!cached.ContainsKey((key, anchorKeys[walk.AnchorAt(p)]))) needed++;
        return needed;
    }
}
