using Nuggets.Core.Anchors;
using Nuggets.Core.Prompting;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>What the pilot found: the anchor order it derived, from how many demonstrations, and what they won.</summary>
/// <param name="Order">Anchors losing-first (<see cref="AnchorOrder.LosingFirst"/>).</param>
/// <param name="Demonstrations">Anchors the pilot used as one-shot demonstrations (each scored on every anchor).</param>
/// <param name="Wins">Per anchor in file order, how many of the other demonstrations won on it.</param>
/// <param name="Trials">Per anchor in file order, how many other demonstrations were scored on it.</param>
/// <param name="Pairs">Pairs the pilot needed (demonstrations × anchors), cached or decoded.</param>
internal sealed record PilotResult(AnchorOrder Order, int Demonstrations, long[] Wins, long[] Trials, long Pairs);

/// <summary>
/// The anchor-order pilot. The anchors are themselves a seeded sample of the data's tasks (random or k-means picks),
/// so the pilot uses them as its sample of candidates: each of the first <c>selection.pilotAnchors</c> anchors is
/// scored as a one-shot demonstration on every anchor, and an anchor's win rate among the other demonstrations
/// orders the anchors losing-first. It depends on the anchors and the model only — never on the cache, the shard or
/// the rest of the data — so adding rows never changes the order, and an incremental run finds every pruned
/// candidate's pairs where its earlier walk left them. When anchors are also candidates
/// (<c>anchors.excludeFromCandidates: false</c>) the pilot's pairs are theirs and are reused.
/// </summary>
internal static class AnchorPilot
{
    /// <summary>The demonstrations: the first <paramref name="size"/> anchors that fit the context as candidates, with their tokens.</summary>
    public static IReadOnlyList<(int Anchor, int[] Tokens, string Key)> Demonstrations(
        AnchorSet anchors, ExampleFormatter formatter, IScoringEngine engine, int longestAnchor, int size)
    {
        var demonstrations = new List<(int, int[], string)>();
        for (var a = 0; a < anchors.Examples.Count && demonstrations.Count < size; a++)
        {
            var tokens = engine.Tokenize(formatter.Format(anchors.Examples[a]).FullText, addBos: true);
            if (tokens.Length + longestAnchor > engine.ContextLength) continue; // as CandidateRows skips it
            demonstrations.Add((a, tokens, TokenKey.OfCandidate(tokens)));
        }
        // Two anchors with the same text are one demonstration.
        return demonstrations.DistinctBy(d => d.Item3).ToArray();
    }

    /// <summary>Scores each demonstration on every anchor (file order, no pruning) and derives the order.</summary>
    public static PilotResult Run(IReadOnlyList<(int Anchor, int[] Tokens, string Key)> demonstrations, ChunkScorer scorer, int anchorCount, CancellationToken cancellation)
    {
        var tallies = demonstrations.Select(d => new CandidateTally(d.Key, d.Tokens, winsNeeded: null, AnchorOrder.FileOrder(anchorCount))).ToArray();
        scorer.Score(tallies, cancellation);
        var wins = new long[anchorCount];
        var trials = new long[anchorCount];
        for (var d = 0; d < tallies.Length; d++)
        {
            if (tallies[d].SkipReason is not null) continue;
            var outcomes = tallies[d].Outcomes;
            for (var a = 0; a < anchorCount; a++)
            {
                // An anchor shown its own text as the demonstration is no evidence of how candidates fare on it.
                if (a == demonstrations[d].Anchor) continue;
                trials[a]++;
                if (outcomes[a] == '1') wins[a]++;
            }
        }
        return new PilotResult(AnchorOrder.LosingFirst(wins, trials), tallies.Length, wins, trials, (long)tallies.Length * anchorCount);
    }
}
