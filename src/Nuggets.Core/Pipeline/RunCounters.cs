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

    /// <summary>LIFT stage generations and embeddings this run committed to the cache.</summary>
    public long GenerationsCommitted { get; set; }
    public long EmbeddingsCommitted { get; set; }

    /// <summary>Per anchor: distinct candidates that won on it, and that scored it.</summary>
    public long[] AnchorWins { get; set; } = [];
    public long[] AnchorScored { get; set; } = [];

    public void ReportProgress() =>
        progress?.Report(new PipelineProgress(Stage, RowsDone, RowsTotal, PairsDecoded, PairsFromCache, CandidatesPruned, BatchesCommitted));

    /// <summary>Starts a phase: names it and reports it, so a log (and a test) sees where the run is.</summary>
    public void Enter(string stage)
    {
        Stage = stage;
        ReportProgress();
    }

    /// <summary>Everything this run committed to the cache so far (decoded work is counted only once committed).</summary>
    public CommittedWork Committed() => new(ZeroShotDecoded, PairsDecoded, GenerationsCommitted, EmbeddingsCommitted);
}
