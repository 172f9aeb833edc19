namespace Nuggets.Core.Pipeline;

/// <summary>Model work a run committed to the cache: what a rerun takes from there instead of computing again.</summary>
/// <param name="ZeroShotSums">Zero-shot anchor sums.</param>
/// <param name="Pairs">(candidate, anchor) one-shot sums.</param>
/// <param name="Generations">LIFT stage generations.</param>
/// <param name="Embeddings">LIFT stage embeddings.</param>
public sealed record CommittedWork(long ZeroShotSums, long Pairs, long Generations, long Embeddings);

/// <summary>
/// A run stopped on request (<see cref="RunStop"/>) before its publish point: nothing was published, and every batch it
/// committed to the cache before the stop is kept.
/// </summary>
public sealed class RunStoppedException : OperationCanceledException
{
    /// <summary>Creates the exception for a run stopped during <paramref name="phase"/>.</summary>
    public RunStoppedException(string phase, CommittedWork committed, OperationCanceledException inner)
        : base($"Stopped during {phase}.", inner, inner?.CancellationToken ?? default)
    {
        Phase = phase;
        Committed = committed;
    }

    /// <summary>The phase the run was in (anchors, embeddings, zero-shot, scoring, writing, or a stage such as <c>stage 1/2: expand</c>).</summary>
    public string Phase { get; }

    /// <summary>What this run committed to the cache before it stopped.</summary>
    public CommittedWork Committed { get; }
}
