using Nuggets.Core.Anchors;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Prompting;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>One dataset row as scoring sees it: already settled (<see cref="Final"/>), or a candidate with its tokens and key.</summary>
internal readonly record struct CandidateRow(Example Example, RowScore? Final, int[]? Tokens, string? Key);

/// <summary>
/// Reads the dataset's rows in order and says what each one is to scoring: an excluded anchor, another shard's row,
/// a row too long to score, or a candidate. The same rules serve the pass that counts the pairs a run needs and the
/// pass that scores them, so the two can never disagree on which candidates there are.
/// </summary>
internal sealed class CandidateRows(
    IDatasetReader reader, DatasetSource dataset, NuggetsOptions options, AnchorSet anchors, int longestAnchor, ExampleFormatter formatter, IScoringEngine engine)
{
    public IEnumerable<CandidateRow> Read()
    {
        foreach (var chunk in reader.ReadChunks(dataset))
        {
            foreach (var example in chunk)
                yield return Classify(example);
        }
    }

    private CandidateRow Classify(Example example)
    {
        if (options.Anchors.ExcludeFromCandidates && anchors.ContentHashes.Contains(example.ContentHash))
            return Settled(example, RowStatus.Anchor);
        if (!Shard.Contains(example.ContentHash, options.Shard.Index, options.Shard.Count))
            return Settled(example, RowStatus.OtherShard);
        var text = formatter.Format(example);
        var tokens = engine.Tokenize(text.FullText, addBos: true);
        var skip = SkipReason(tokens.Length, longestAnchor, engine.ContextLength, options.Scoring.MaxExampleTokens);
        if (skip is not null)
            return Settled(example, RowStatus.Skipped, skip);
        return new CandidateRow(example, null, tokens, TokenKey.OfCandidate(tokens));
    }

    private static CandidateRow Settled(Example example, RowStatus status, string? reason = null) =>
        new(example, new RowScore(example.Row, example.ContentHash, status, 0, 0, reason), null, null);

    private static string? SkipReason(int candidateTokens, int longestAnchor, int contextLength, int? maxExampleTokens)
    {
        if (maxExampleTokens is { } max && candidateTokens > max)
            return $"candidate has {candidateTokens} tokens, more than scoring.maxExampleTokens = {max}";
        if (candidateTokens + longestAnchor > contextLength)
            return $"candidate ({candidateTokens} tokens) + longest anchor ({longestAnchor}) exceed the context of {contextLength} tokens";
        return null;
    }
}
