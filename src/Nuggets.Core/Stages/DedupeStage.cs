using Nuggets.Core.Configuration;

namespace Nuggets.Core.Stages;

/// <summary>
/// Drops exact duplicates (same content hash) and near-duplicates (cosine ≥ threshold), keeping the first of each.
/// This project's addition, not a LIFT step: it only saves the later stages work on repeated rows.
/// </summary>
internal sealed class DedupeStage(DedupeStageOptions options) : LiftStage
{
    public override StageOutput Run(IReadOnlyList<StageRow> rows, StageCalls calls, CancellationToken cancellation)
    {
        var output = new StageOutput();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new List<StageRow>();
        foreach (var row in rows)
        {
            if (seen.Add(row.Example.ContentHash)) distinct.Add(row);
            else output.Drop("exact duplicate");
        }
        // A threshold of 1 asks for exact duplicates only: no embeddings needed.
        if (options.Threshold >= 1 || distinct.Count < 2)
        {
            output.Rows.AddRange(distinct);
            return output;
        }
        var vectors = calls.Embed(distinct.Select(EmbeddingText).ToArray());
        var duplicateOf = NearDuplicateSearch.Find(vectors, options.Threshold, options.BlockRows, cancellation);
        for (var i = 0; i < distinct.Count; i++)
        {
            if (duplicateOf[i] < 0) output.Rows.Add(distinct[i]);
            else output.Drop("near duplicate");
        }
        return output;
    }
}
