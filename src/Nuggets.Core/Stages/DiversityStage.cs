using Nuggets.Core.Configuration;

namespace Nuggets.Core.Stages;

/// <summary>LIFT's variety curation: keeps the rows whose PCA-reduced embeddings vary most (see <see cref="PcaSelection"/>).</summary>
internal sealed class DiversityStage(DiversityStageOptions options) : LiftStage
{
    public override StageOutput Run(IReadOnlyList<StageRow> rows, StageCalls calls, CancellationToken cancellation)
    {
        var output = new StageOutput();
        if (rows.Count == 0) return output;
        var vectors = calls.Embed(rows.Select(EmbeddingText).ToArray());
        var pca = PcaSelection.Compute(vectors, options.ExplainedVariance, cancellation);
        var kept = PcaSelection.Top(pca.RowVariance, options.KeepFraction);
        output.Details["pcaComponents"] = pca.Components;
        output.Details["explainedVariance"] = Math.Round(pca.ExplainedVarianceRatios.Take(pca.Components).Sum(), 6);
        output.Rows.AddRange(kept.Select(i => rows[i]));
        for (var i = kept.Length; i < rows.Count; i++) output.Drop("low variance");
        return output;
    }
}
