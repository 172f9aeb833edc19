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
/// changes no sum. Candidates are walked one at a time, block after block, so one candidate's calls follow each
/// other and the engine keeps its prefix between them: neither a pruning block nor a commit boundary decodes a
/// prefix again, and every commit stays within <c>pairsPerCommit</c>.
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
    /// outcomes do not count towards the run's per-anchor win rates: its demonstrations are anchors, which are candidates
    /// only with <c>anchors.excludeFromCandidates: false</c>, and then the scoring proper counts them when it meets them.
    /// </summary>
    public bool Pilot { get; init; }

    /// <summary>Pairs decoded earlier in this run (the pilot's), which later scoring must not count as taken from the cache; the pilot adds to it.</summary>
    public HashSet<(string, string)>? DecodedThisRun { get; init; }

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
        var entries = new List<PairEntry>();

        void Commit()
        {
            if (entries.Count == 0) return;
            cache.PutPairs(fingerprint, entries);
            counters.BatchesCommitted++;
            counters.PairsCommitted += entries.Count;
            entries.Clear();
            counters.ReportProgress(); // after the commit: what this report counts as committed is in the cache
        }

        // A stop is honoured between engine calls, after what was decoded is committed.
        void StopIfRequested()
        {
            if (!cancellation.IsCancellationRequested) return;
            Commit();
            cancellation.ThrowIfCancellationRequested();
        }

        // One candidate at a time, block after block: its calls follow each other, so the engine decodes its prefix
        // once (it stays resident between calls; docs/exactness.md) however many blocks pruning asks for.
        foreach (var candidate in candidates)
        {
            while (candidate.NeedsWork)
            {
                var block = candidate.NextBlock();
                var missing = new List<int>();
                for (var p = block.Start.Value; p < block.End.Value; p++)
                    if (!known.ContainsKey((candidate.Key, anchorKeys[candidate.AnchorAt(p)]))) missing.Add(candidate.AnchorAt(p));
                // A block that does not fit in what is left of the commit is split: its first part closes the commit.
                var walked = false;
                for (var start = 0; start < missing.Count && !candidate.Done;)
                {
                    StopIfRequested();
                    var part = missing.GetRange(start, Math.Min(missing.Count - start, pairsPerCommit - entries.Count));
                    var result = engine.ScorePairs(anchors, [new PairRequest(candidate.Tokens, part)], cancellation)[0];
                    if (result.Skipped)
                    {
                        candidate.Skip(result.SkipReason!);
                        break;
                    }
                    // A call cut short by a stop returns fewer sums than asked: the finished ones are committed all the same.
                    foreach (var (sum, j) in result.Sums.Select((sum, j) => (sum, j)))
                    {
                        var entry = new PairEntry(candidate.Key, anchorKeys[part[j]], sum);
                        known[(entry.CandidateKey, entry.AnchorKey)] = entry.Sum;
                        entries.Add(entry);
                        if (Pilot) DecodedThisRun?.Add((entry.CandidateKey, entry.AnchorKey));
                    }
                    candidate.Decoded += result.Sums.Length;
                    counters.PairsDecoded += result.Sums.Length;
                    if (result.Sums.Length < part.Count)
                    {
                        StopIfRequested();
                        throw new InvalidOperationException("The engine returned fewer sums than asked without a stop.");
                    }
                    start += part.Count;
                    // The walk needs the whole block; its last part walks it before the report, so a decided row counts.
                    if (start == missing.Count)
                    {
                        Walk(candidate, known, cached);
                        walked = true;
                    }
                    counters.ReportProgress(); // decoded, not yet committed
                    if (entries.Count >= pairsPerCommit) Commit();
                    StopIfRequested();
                }
                // A block the cache had whole, or a skipped candidate (it walks nowhere and is decided).
                if (!walked) Walk(candidate, known, cached);
            }
        }
        Commit();
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
            if (cached.ContainsKey((candidate.Key, anchorKeys[a])) && DecodedThisRun?.Contains((candidate.Key, anchorKeys[a])) != true) counters.PairsFromCache++;
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
}
