using Nuggets.Core.Data;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>
/// Scores the distinct candidates of one chunk against the anchors: cached pairs are used, missing ones are
/// decoded in engine calls of a bounded size and committed to the cache after each call, so a killed run loses
/// at most the call in flight, and a stopped one nothing it finished (the call returns early; its pairs are committed).
/// </summary>
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
    public void Score(IReadOnlyList<CandidateTally> candidates, CancellationToken cancellation)
    {
        if (candidates.Count == 0) return;
        var cached = cache.GetPairs(fingerprint, candidates.Select(c => c.Key).ToArray(), anchorKeys as IReadOnlyCollection<string> ?? anchorKeys.ToArray());
        var known = new Dictionary<(string, string), LogProbSum>(cached);

        while (candidates.Any(c => !c.Done))
        {
            // Everything the undecided candidates need next and the cache does not have.
            var requests = new List<(CandidateTally Candidate, List<int> Anchors)>();
            foreach (var candidate in candidates.Where(c => !c.Done))
            {
                var block = candidate.NextBlock();
                var missing = new List<int>();
                for (var a = block.Start.Value; a < block.End.Value; a++)
                    if (!known.ContainsKey((candidate.Key, anchorKeys[a]))) missing.Add(a);
                if (missing.Count > 0) requests.Add((candidate, missing));
            }

            foreach (var batch in Batches(requests))
            {
                cancellation.ThrowIfCancellationRequested();
                var results = engine.ScorePairs(anchors, batch.Select(r => new PairRequest(r.Candidate.Tokens, r.Anchors)).ToArray(), cancellation);
                var entries = new List<PairEntry>();
                for (var i = 0; i < batch.Count; i++)
                {
                    var (candidate, requested) = batch[i];
                    if (results[i].Skipped)
                    {
                        candidate.Skip(results[i].SkipReason!);
                        continue;
                    }
                    // A call cut short by a stop returns fewer sums than asked: the finished ones are committed all the same.
                    for (var j = 0; j < results[i].Sums.Length; j++)
                    {
                        var entry = new PairEntry(candidate.Key, anchorKeys[requested[j]], results[i].Sums[j]);
                        known[(entry.CandidateKey, entry.AnchorKey)] = entry.Sum;
                        entries.Add(entry);
                    }
                }
                cache.PutPairs(fingerprint, entries);
                counters.PairsDecoded += entries.Count;
                if (entries.Count > 0) counters.BatchesCommitted++;
                counters.ReportProgress(); // after the commit: what this report counts is in the cache
                cancellation.ThrowIfCancellationRequested();
            }

            // Walk each candidate forward in anchor order over what is now known.
            foreach (var candidate in candidates.Where(c => !c.Done))
            {
                var block = candidate.NextBlock();
                for (var a = block.Start.Value; a < block.End.Value && !candidate.Done; a++)
                {
                    var sum = known[(candidate.Key, anchorKeys[a])];
                    if (cached.ContainsKey((candidate.Key, anchorKeys[a]))) counters.PairsFromCache++;
                    var win = GoldenScore.IsWin(sum, zeroShot[a]);
                    candidate.Advance(win);
                    counters.AnchorScored[a]++;
                    if (win) counters.AnchorWins[a]++;
                }
            }
        }
    }

    /// <summary>Splits requests so each engine call (and cache commit) holds about <c>pairsPerCommit</c> pairs.</summary>
    private IEnumerable<List<(CandidateTally Candidate, List<int> Anchors)>> Batches(List<(CandidateTally Candidate, List<int> Anchors)> requests)
    {
        var batch = new List<(CandidateTally, List<int>)>();
        var pairs = 0;
        foreach (var request in requests)
        {
            batch.Add(request);
            pairs += request.Anchors.Count;
            if (pairs >= pairsPerCommit)
            {
                yield return batch;
                batch = [];
                pairs = 0;
            }
        }
        if (batch.Count > 0) yield return batch;
    }
}
