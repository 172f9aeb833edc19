using Nuggets.Core.Data;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>
/// Scores the distinct candidates of one chunk against the anchors: cached pairs are used, missing ones are
/// decoded and committed to the cache in batches of at most <c>pairsPerCommit</c> pairs, so a killed run loses at
/// most that many (README.md: <c>cache.commitPairs</c> is the most a killed run can lose), and a stopped one nothing
/// it finished (a call cut short returns its finished sums; they are committed).
/// </summary>
/// <remarks>
/// Each engine call holds pairs of one candidate only, so progress (pairs decoded, rows decided) moves with every
/// candidate instead of every commit. The engine decodes each candidate alone anyway — its prefix, then each anchor
/// after it, in a layout that depends on the pair only (docs/exactness.md) — so how requests are split into calls
/// changes no sum. A candidate whose pairs straddle a commit boundary gets one call per commit it spans: each
/// boundary costs one more decode of a prefix, and every commit stays within <c>pairsPerCommit</c>.
/// </remarks>
internal sealed class ChunkScorer(
    IScoringEngine engine,
    IScoreCache cache,
    string fingerprint,
    IReadOnlyList<AnchorSequence> anchors,
    IReadOnlyList<string> anchorKeys,
    IReadOnlyList<LogProbSum> zeroShot,
    RunCounters counters,
    int pairsPerCommit)
{
    /// <summary>
    /// True for the pilot (<see cref="AnchorPilot"/>): its pairs are decoded, committed and counted as decoded, but its
    /// outcomes and rows are not counted, since the same candidates are met again and counted by the scoring proper.
    /// </summary>
    public bool Pilot { get; init; }

    /// <summary>
    /// Walks every candidate as far as it needs (its <see cref="CandidateTally.NextBlock"/>s up to its
    /// <see cref="CandidateTally.Limit"/>); a candidate that ends decided is counted as decided, once.
    /// </summary>
    public void Score(IReadOnlyList<CandidateTally> candidates, CancellationToken cancellation)
    {
        // A candidate can be certain before any anchor (a threshold no count of wins passes): decided as it is.
        foreach (var candidate in candidates.Where(c => c.Done)) Decided(candidate);
        candidates = candidates.Where(c => c.NeedsWork).ToArray();
        if (candidates.Count == 0) return;
        var cached = cache.GetPairs(fingerprint, candidates.Select(c => c.Key).ToArray(), anchorKeys as IReadOnlyCollection<string> ?? anchorKeys.ToArray());
        var known = new Dictionary<(string, string), LogProbSum>(cached);

        while (candidates.Any(c => c.NeedsWork))
        {
            // Everything the candidates need next and the cache does not have.
            var requests = new List<(CandidateTally Candidate, List<int> Anchors)>();
            foreach (var candidate in candidates.Where(c => c.NeedsWork))
            {
                var block = candidate.NextBlock();
                var missing = new List<int>();
                for (var p = block.Start.Value; p < block.End.Value; p++)
                    if (!known.ContainsKey((candidate.Key, anchorKeys[candidate.AnchorAt(p)]))) missing.Add(candidate.AnchorAt(p));
                if (missing.Count > 0) requests.Add((candidate, missing));
                else Walk(candidate, known, cached); // all known: it goes forward now
            }

            foreach (var batch in Batches(requests))
            {
                cancellation.ThrowIfCancellationRequested();
                var entries = new List<PairEntry>();
                foreach (var (candidate, requested, completesBlock) in batch)
                {
                    if (candidate.Done) continue; // skipped while scoring an earlier part of the same block
                    var result = engine.ScorePairs(anchors, [new PairRequest(candidate.Tokens, requested)], cancellation)[0];
                    if (result.Skipped)
                    {
                        candidate.Skip(result.SkipReason!);
                    }
                    else
                    {
                        // A call cut short by a stop returns fewer sums than asked: the finished ones are committed all the same.
                        for (var j = 0; j < result.Sums.Length; j++)
                        {
                            var entry = new PairEntry(candidate.Key, anchorKeys[requested[j]], result.Sums[j]);
                            known[(entry.CandidateKey, entry.AnchorKey)] = entry.Sum;
                            entries.Add(entry);
                        }
                        candidate.Decoded += result.Sums.Length;
                        counters.PairsDecoded += result.Sums.Length;
                        if (result.Sums.Length < requested.Count) break;
                    }
                    // The walk needs the whole block; a block split over two commits walks once its last part is known.
                    if (completesBlock || candidate.Done) Walk(candidate, known, cached);
                    counters.ReportProgress(); // decoded, not yet committed
                    if (cancellation.IsCancellationRequested) break;
                }
                cache.PutPairs(fingerprint, entries);
                if (entries.Count > 0)
                {
                    counters.BatchesCommitted++;
                    counters.PairsCommitted += entries.Count;
                }
                counters.ReportProgress(); // after the commit: what this report counts as committed is in the cache
                cancellation.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>Walks a candidate forward in anchor order over its next block, which is known (or it is skipped).</summary>
    private void Walk(CandidateTally candidate, Dictionary<(string, string), LogProbSum> known, IReadOnlyDictionary<(string, string), LogProbSum> cached)
    {
        var block = candidate.NextBlock();
        for (var p = block.Start.Value; p < block.End.Value && !candidate.Done; p++)
        {
            var a = candidate.AnchorAt(p);
            var sum = known[(candidate.Key, anchorKeys[a])];
            var win = GoldenScore.IsWin(sum, zeroShot[a]);
            candidate.Advance(win);
            if (Pilot) continue;
            if (cached.ContainsKey((candidate.Key, anchorKeys[a]))) counters.PairsFromCache++;
            counters.AnchorScored[a]++;
            if (win) counters.AnchorWins[a]++;
        }
        if (candidate.Done) Decided(candidate);
    }

    private void Decided(CandidateTally candidate)
    {
        if (candidate.Reported) return;
        candidate.Reported = true;
        counters.Pairs.Settle(candidate.Key, candidate.Decoded);
        if (Pilot) return;
        counters.RowsDone += candidate.Rows;
        if (candidate.Pruned) counters.CandidatesPruned++;
    }

    /// <summary>
    /// Splits requests into cache commits of exactly <c>pairsPerCommit</c> pairs (the last one fewer); a request that
    /// does not fit whole is split, its first part closing one commit and the rest opening the next.
    /// </summary>
    private IEnumerable<List<BlockPart>> Batches(List<(CandidateTally Candidate, List<int> Anchors)> requests)
    {
        var batch = new List<BlockPart>();
        var pairs = 0;
        foreach (var (candidate, indexes) in requests)
        {
            for (var start = 0; start < indexes.Count;)
            {
                var take = Math.Min(indexes.Count - start, pairsPerCommit - pairs);
                batch.Add(new BlockPart(candidate, indexes.GetRange(start, take), CompletesBlock: start + take == indexes.Count));
                start += take;
                pairs += take;
                if (pairs < pairsPerCommit) continue;
                yield return batch;
                batch = [];
                pairs = 0;
            }
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>Anchors of one candidate's next block scored in one engine call; the last part of the block completes it.</summary>
    private readonly record struct BlockPart(CandidateTally Candidate, List<int> Anchors, bool CompletesBlock);
}
