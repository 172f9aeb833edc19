namespace Nuggets.Core.Pipeline;

/// <summary>A snapshot of a run's progress, reported after every committed batch.</summary>
/// <param name="Stage">What is happening (a LIFT stage such as <c>stage 1/2: expand</c>, anchors, embeddings, zero-shot, scoring, writing).</param>
/// <param name="RowsDone">Dataset rows fully handled so far.</param>
/// <param name="RowsTotal">Dataset rows in all.</param>
/// <param name="PairsDecoded">(candidate, anchor) pairs run through the model.</param>
/// <param name="PairsFromCache">Pairs taken from the cache.</param>
/// <param name="CandidatesPruned">Candidates decided before all anchors were scored.</param>
/// <param name="BatchesCommitted">Batches of decoded pairs this run has committed to the cache (each one survives a kill).</param>
public sealed record PipelineProgress(string Stage, long RowsDone, long RowsTotal, long PairsDecoded, long PairsFromCache, long CandidatesPruned, long BatchesCommitted);
