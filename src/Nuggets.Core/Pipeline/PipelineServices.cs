using Nuggets.Core.Configuration;
using Nuggets.Core.Data;

namespace Nuggets.Core.Pipeline;

/// <summary>
/// The real parts the pipeline composes (DuckDB reader/writer/cache, llama.cpp session). The CLI builds them
/// from Nuggets.DuckDb and Nuggets.Llama; unit tests of pure logic may pass fakes.
/// </summary>
public sealed class PipelineServices
{
    /// <summary>Dataset reader.</summary>
    public required IDatasetReader Reader { get; init; }

    /// <summary>Selection / score table writer.</summary>
    public required ISelectionWriter Writer { get; init; }

    /// <summary>Opens the run's caches (score cache and stages' cache) on the cache file at a path, waiting for another holder when asked.</summary>
    public required Func<string, bool, RunCaches> OpenCache { get; init; }

    /// <summary>Loads the scoring model.</summary>
    public required Func<ModelOptions, ScoringOptions, ScoringSession> OpenSession { get; init; }

    /// <summary>Writes the LIFT stages' artifacts; needed only when stages are configured.</summary>
    public Stages.IStageWriter? StageWriter { get; init; }

    /// <summary>Tool version written into manifests.</summary>
    public string ToolVersion { get; init; } = "unknown";
}
