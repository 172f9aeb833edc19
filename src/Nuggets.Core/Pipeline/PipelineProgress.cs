namespace Nuggets.Core.Pipeline;

/// <summary>
/// A snapshot of a run's progress, reported when a stage starts, after every engine call that returns sums, after
/// every committed batch and when the run is done.
/// </summary>
/// <param name="Stage">What is happening (a LIFT stage, anchors, counting, zero-shot, scoring, writing, done).</param>
/// <param name="RowsDone">Dataset rows decided so far: scored to their decision, skipped, excluded as anchors or left to another shard.</param>
/// <param name="RowsTotal">Dataset rows in all.</param>
/// <param name="PairsDecoded">
/// Sums run through the model so far: (candidate, anchor) pairs and zero-shot anchor sums. Counted when the engine
/// returns them, before they are committed.
/// </param>
/// <param name="PairsTotal">
/// The sums this run decodes in all, those decoded included: the (candidate, anchor) pairs not in the cache that scoring
/// can need, plus the missing zero-shot sums; it shrinks as exact pruning decides candidates and ends equal to
/// <paramref name="PairsDecoded"/>. Null until the rows have been counted.
/// </param>
/// <param name="PairsFromCache">Pairs taken from the cache.</param>
/// <param name="CandidatesPruned">Candidates decided before all anchors were scored.</param>
/// <param name="BatchesCommitted">Batches of decoded (candidate, anchor) pairs this run has committed to the cache (each one survives a kill).</param>
/// <param name="PairsCommitted">
/// Sums this run has committed to the cache: the pairs in those batches and the zero-shot sums (committed before
/// scoring starts). Once the run is done it equals <paramref name="PairsDecoded"/>.
/// </param>
/// <param name="Detail">What the stage is working through when that is not rows or pairs (e.g. embeddings), or null.</param>
public sealed record PipelineProgress(
    string Stage, long RowsDone, long RowsTotal, long PairsDecoded, long? PairsTotal, long PairsFromCache, long CandidatesPruned,
    long BatchesCommitted, long PairsCommitted, string? Detail = null)
{
    /// <summary>The stage of the last report of a run that finished.</summary>
    public const string DoneStage = "done";

    /// <summary>True for the last report of a run that finished.</summary>
    public bool Finished => Stage == DoneStage;

    /// <summary>Sums still to decode, or null while the total is not known.</summary>
    public long? PairsRemaining => PairsTotal is { } total ? Math.Max(0, total - PairsDecoded) : null;
}
