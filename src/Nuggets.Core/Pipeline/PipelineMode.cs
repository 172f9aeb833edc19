namespace Nuggets.Core.Pipeline;

/// <summary>What a pipeline invocation produces.</summary>
public enum PipelineMode
{
    /// <summary>Anchors, scores and the selection (+ manifest).</summary>
    Run,
    /// <summary>Anchors and scores; writes every scored row with its golden score, wins and anchors scored.</summary>
    Score,
    /// <summary>The selection from cached scores only: no decoding (fails when pairs are missing).</summary>
    Select,
    /// <summary>Only build and write the anchor set.</summary>
    Anchors,
}
