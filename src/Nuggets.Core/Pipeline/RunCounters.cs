namespace Nuggets.Core.Pipeline;

/// <summary>Mutable counters of a run, turned into the manifest's counts and progress reports.</summary>
internal sealed class RunCounters(IProgress<PipelineProgress>? progress)
{
    public string Stage { get; set; } = "starting";
    public long RowsTotal { get; set; }
    public long RowsDone { get; set; }
    public long PairsDecoded { get; set; }
    public long PairsFromCache { get; set; }
    public long ZeroShotDecoded { get; set; }
    public long CandidatesPruned { get; set; }
    public long BatchesCommitted { get; set; }

    /// <summary>Per anchor: distinct candidates that won on it, and that scored it.</summary>
    public long[] AnchorWins { get; set; } = [];
    public long[] AnchorScored { get; set; } = [];

    public void ReportProgress() =>
        progress?.Report(new PipelineProgress(Stage, RowsDone, RowsTotal, PairsDecoded, PairsFromCache, CandidatesPruned, BatchesCommitted));
}
