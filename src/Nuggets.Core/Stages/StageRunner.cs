using System.Diagnostics;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Output;
using Nuggets.Core.Pipeline;

namespace Nuggets.Core.Stages;

/// <summary>
/// Runs the configured stages (LIFT's, and this project's dedupe) in order on the dataset's rows and writes each stage's rows as a Parquet artifact;
/// the last one becomes the dataset that Nuggets scores. Artifacts are written into a temporary folder beside the
/// outputs and moved to <c>stages/</c> only when the whole run succeeded, so a failed run leaves nothing half-written.
/// </summary>
internal sealed class StageRunner(PipelineServices services)
{
    /// <summary>The folder under <c>output.directory</c> that holds the stage artifacts.</summary>
    public const string FolderName = "stages";

    public StageRun Run(
        NuggetsOptions options, IDatasetReader reader, DatasetSource dataset, ScoringSession session, IStageCache stageCache, RunCounters counters,
        bool noDecoding, CancellationToken cancellation)
    {
        var writer = services.StageWriter ?? throw new InvalidOperationException("Stages need PipelineServices.StageWriter.");
        var columns = new ColumnMapping(options.Dataset.Columns.Instruction, options.Dataset.Columns.Input, options.Dataset.Columns.Output);
        var run = new StageRun(options.Output.Directory);
        try
        {
            List<StageRow> rows = reader.ReadChunks(dataset).SelectMany(c => c).Select(e => new StageRow(e, e.Row, "input", 0)).ToList();
            for (var i = 0; i < options.Stages.Count; i++)
            {
                var stageOptions = options.Stages[i];
                counters.Begin($"stage {i + 1}/{options.Stages.Count}: {stageOptions.Type}");
                var clock = Stopwatch.StartNew();
                var stage = LiftStage.Create(stageOptions);
                using var own = stageOptions is ModelStageOptions { Model: { } path } ? services.OpenSession(WithPath(options.Model, path), options.Scoring) : null;
                cancellation.ThrowIfCancellationRequested(); // loading a stage's own model is one long native call
                var model = own ?? session;
                var work = new StageWork();
                var (generatedBefore, embeddedBefore) = (counters.GenerationsCommitted, counters.EmbeddingsCommitted);
                // Progress is reported after each commit to the cache: that is when the stage's model calls count as kept.
                var calls = new StageCalls(stageCache, $"{model.ModelSha256}|{model.LlamaBuild}", noDecoding ? null : model.Generator,
                    noDecoding ? null : model.Embedder, work, (done, total) =>
                    {
                        (counters.GenerationsCommitted, counters.EmbeddingsCommitted) = (generatedBefore + work.Generated, embeddedBefore + work.Embedded);
                        Progress(done, total);
                    }, cancellation, model.Governor);
                if (stage.Generates && !noDecoding && model.Generator is null)
                    throw new NuggetsException($"'stages[{i}]' ({stageOptions.Type}) generates text, but the model backend cannot.", ExitCodes.Config);

                var output = stage.Run(rows, calls, cancellation);
                cancellation.ThrowIfCancellationRequested();
                var next = output.Rows.Select((r, n) => r with { Example = r.Example with { Row = n } }).ToList();
                var name = $"{i + 1}-{stageOptions.Type}.parquet";
                var temporary = Path.Combine(run.WorkDirectory, name);
                writer.Write(next, columns, temporary);
                run.Add(new ManifestStage(
                    Index: i, Type: stageOptions.Type, Settings: stageOptions, ModelSha256: model.ModelSha256,
                    RowsIn: rows.Count, RowsOut: next.Count, Dropped: output.Dropped,
                    Generated: work.Generated, GenerationsFromCache: work.GenerationsCached,
                    Embedded: work.Embedded, EmbeddingsFromCache: work.EmbeddingsCached, Details: output.Details,
                    Artifact: Path.Combine(options.Output.Directory, FolderName, name), Sha256: FileHash.Sha256Of(temporary),
                    Seconds: Math.Round(clock.Elapsed.TotalSeconds, 3)), temporary);
                rows = next;
            }
            if (rows.Count == 0)
                throw new NuggetsException($"The stages left no rows to score ({string.Join(", ", run.Reports.Select(r => $"{r.Type}: {r.RowsOut}"))}).", ExitCodes.EmptyDataset);
            run.Dataset = new DatasetSource([run.LastArtifact!], columns, DatasetFormat.Parquet);
            run.Rows = rows.Count;
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }

        // During the stages the progress line counts the stage's model calls; rows count scored rows only.
        void Progress(long done, long total)
        {
            counters.Detail = $"{done:N0}/{total:N0} model calls";
            counters.ReportProgress();
        }
    }

    /// <summary>
    /// A stage's own model runs with every other <c>model.*</c> setting of the scoring model: the same CPU variant above
    /// all, since llama.cpp loads one variant per process and a pinned one must hold for every model of the run.
    /// </summary>
    internal static ModelOptions WithPath(ModelOptions model, string path) => new()
    {
        Path = path,
        GpuLayers = model.GpuLayers,
        Threads = model.Threads,
        ContextLength = model.ContextLength,
        BatchSize = model.BatchSize,
        CpuVariant = model.CpuVariant,
    };
}

/// <summary>The stages' results: the dataset to score (the last artifact), their reports, and their files until published.</summary>
internal sealed class StageRun(string outputDirectory) : IDisposable
{
    private readonly List<ManifestStage> reports = [];
    private bool published;

    /// <summary>Temporary folder beside the outputs (same file system, so publishing is a rename).</summary>
    public string WorkDirectory { get; } = CreateWork(outputDirectory);

    public DatasetSource Dataset { get; set; } = null!;
    public long Rows { get; set; }
    public string? LastArtifact { get; private set; }
    public IReadOnlyList<ManifestStage> Reports => reports;

    public void Add(ManifestStage report, string temporaryPath)
    {
        reports.Add(report);
        LastArtifact = temporaryPath;
    }

    /// <summary>Replaces <c>stages/</c> under the outputs with this run's artifacts.</summary>
    public void Publish()
    {
        var target = Path.Combine(outputDirectory, StageRunner.FolderName);
        var old = target + $".old.{Environment.ProcessId}";
        if (Directory.Exists(target)) Directory.Move(target, old);
        Directory.Move(WorkDirectory, target);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        published = true;
    }

    public void Dispose()
    {
        if (!published && Directory.Exists(WorkDirectory)) Directory.Delete(WorkDirectory, recursive: true);
    }

    private static string CreateWork(string outputDirectory)
    {
        var path = Path.Combine(outputDirectory, $".{StageRunner.FolderName}.{Environment.ProcessId}.tmp");
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        Directory.CreateDirectory(path);
        return path;
    }
}
