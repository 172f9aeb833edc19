namespace Nuggets.Core.Pipeline;

/// <summary>Mutable counters of a run, turned into the manifest's counts and progress reports.</summary>
internal sealed class RunCounters(IProgress<PipelineProgress>? progress)
{
    public string Stage { get; set; } = "starting";
    public string? Detail { get; set; }
    public long RowsTotal { get; set; }
    public long RowsDone { get; set; }
    public long PairsDecoded { get; set; }
    public long PairsFromCache { get; set; }
    public long ZeroShotDecoded { get; set; }
    public long CandidatesPruned { get; set; }
    public long BatchesCommitted { get; set; }
    /// <summary>(Candidate, anchor) pairs in the committed batches; zero-shot sums are committed with their decoding.</summary>
    public long PairsCommitted { get; set; }

    /// <summary>The sums this run decodes in all.</summary>
    public PairLedger Pairs { get; } = new();

    /// <summary>LIFT stage generations and embeddings this run committed to the cache.</summary>
    public long GenerationsCommitted { get; set; }
    public long EmbeddingsCommitted { get; set; }

    /// <summary>Per anchor: distinct candidates that won on it, and that scored it.</summary>
    public long[] AnchorWins { get; set; } = [];
    public long[] AnchorScored { get; set; } = [];

    /// <summary>Starts a stage (its detail cleared) and reports it.</summary>
    public void Begin(string stage)
    {
        (Stage, Detail) = (stage, null);
        ReportProgress();
    }

    public void ReportProgress() =>
        progress?.Report(new PipelineProgress(Stage, RowsDone, RowsTotal, PairsDecoded + ZeroShotDecoded, Pairs.Counted ? Pairs.Total : null,
            PairsFromCache, CandidatesPruned, BatchesCommitted, PairsCommitted + ZeroShotDecoded, Detail));

    /// <summary>Everything this run committed to the cache so far (decoded work is counted only once committed).</summary>
    public CommittedWork Committed() => new(ZeroShotDecoded, PairsCommitted, GenerationsCommitted, EmbeddingsCommitted);
}
