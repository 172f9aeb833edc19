using System.Diagnostics;
using System.Globalization;
using Nuggets.Core.Configuration;
using Nuggets.Core.Cpu;
using Nuggets.Core.Pipeline;
using Nuggets.DuckDb;
using Nuggets.DuckDb.Cache;
using Nuggets.Llama.Pipeline;
using Nuggets.Llama.Scoring;

namespace Nuggets.Bench.Rows;

/// <summary>
/// Rows 4–6, the product: <see cref="NuggetsPipeline"/> composed from the same parts as the CLI (DuckDB reader,
/// writer and score cache; the llama.cpp session), run with an anchor file on the spec's dataset and selection.
/// The pruning benchmark (<see cref="PruningBench"/>) runs it too, with top-k selections and either anchor order.
/// The time is the whole run — model load, reading, zero-shot sums, scoring, cache commits, outputs, manifest.
/// It also counts the rows selected and, in a run that scored every anchor, the rows one win either side of the
/// threshold (the decisions a wrong sum could flip), so the report shows the selection is real and contested.
/// </summary>
internal static class PipelineRow
{
    public static RowResult Run(ChildSpec spec)
    {
        LlamaScoringEngine? engine = null;
        var services = new PipelineServices
        {
            Reader = new DuckDbDatasetReader(),
            Writer = new DuckDbSelectionWriter(),
            OpenCache = (path, _) =>
            {
                var connection = CacheConnection.Open(path);
                return new RunCaches(new ScoreCache(connection), new StageCache(connection), connection);
            },
            OpenSession = (model, scoring) =>
            {
                var session = LlamaSessionFactory.Open(Nuggets.Cli.Composition.LlamaSettings.From(model, scoring));
                engine = (LlamaScoringEngine)session.Engine;
                return session;
            },
            ToolVersion = "bench",
        };
        var settings = new Dictionary<string, string?>
        {
            ["dataset:path"] = spec.CandidatesFile,
            ["model:path"] = spec.Model,
            ["model:batchSize"] = spec.Batch.ToString(CultureInfo.InvariantCulture),
            ["model:threads"] = spec.Threads.ToString(CultureInfo.InvariantCulture),
            ["model:gpuLayers"] = "0",
            ["anchors:method"] = "file",
            ["anchors:path"] = spec.AnchorsFile,
            ["selection:mode"] = spec.Mode,
            ["selection:threshold"] = spec.Threshold.ToString(CultureInfo.InvariantCulture),
            ["selection:topPercent"] = spec.TopPercent.ToString(CultureInfo.InvariantCulture),
            ["selection:prune"] = spec.Prune ? "true" : "false",
            ["selection:anchorOrder"] = spec.AnchorOrder,
            ["cache:path"] = spec.Cache,
            ["output:directory"] = spec.Output,
        };

        var watch = Stopwatch.StartNew();
        var config = ConfigLoader.Load(null, settings);
        var result = new NuggetsPipeline(services).Run(config, PipelineMode.Run);
        var seconds = watch.Elapsed.TotalSeconds;
        var counts = result.Manifest!.Counts;
        var statistics = engine!.Statistics;
        var needed = new Nuggets.Core.Scoring.ThresholdRule(spec.Threshold, spec.Anchors).WinsNeeded;
        var near = spec.Prune || spec.Mode != "threshold" ? 0 : result.Rows.Count(r => r.AnchorsScored == spec.Anchors && (r.Wins == needed || r.Wins == needed - 1));
        return new RowResult
        {
            Row = spec.Row, Seconds = seconds, Pairs = counts.PairsDecoded, UsefulTokens = statistics.TokensDecoded,
            DecodedTokens = statistics.TokensDecoded, DecodeCalls = statistics.DecodeCalls,
            DecodeSeconds = statistics.DecodeTime.TotalSeconds, LogSoftmaxSeconds = statistics.LogSoftmaxTime.TotalSeconds,
            Selected = result.OutputPath, Selections = counts.Selected, Pruned = counts.Pruned, Rows = counts.Candidates, NearThreshold = near,
        };
    }
}
