using Nuggets.Core.Anchors;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>Assembles the manifest from a run's inputs, settings and outcomes.</summary>
internal static class ManifestBuilder
{
    public const int HistogramBins = 20;

    public static Manifest Build(
        LoadedConfig config, DatasetDescription description, ScoringSession session, ScorerFingerprint fingerprint, PinnedAnchors pins,
        string anchorsPath, int anchorCount, IReadOnlyList<RowScore> rows, IReadOnlyList<RowScore>? selected, ManifestOutput? output,
        RunCounters counters, string toolVersion, PipelineMode mode)
    {
        var o = config.Options;
        var anchors = pins.Anchors;
        var scored = rows.Where(r => r.Status == RowStatus.Scored).ToArray();
        var skipped = rows.Where(r => r.Status == RowStatus.Skipped).ToArray();
        var counts = new ManifestCounts(
            Rows: rows.Count,
            Anchors: anchorCount,
            AnchorRowsExcluded: rows.Count(r => r.Status == RowStatus.Anchor),
            OtherShard: rows.Count(r => r.Status == RowStatus.OtherShard),
            Candidates: scored.Length + skipped.Length,
            Scored: scored.Length,
            Selected: selected?.Count ?? 0,
            Pruned: scored.Count(r => r.AnchorsScored < anchorCount),
            Skipped: skipped.Length,
            SkippedReasons: skipped.GroupBy(r => Category(r.SkipReason!)).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count()),
            PairsDecoded: counters.PairsDecoded,
            PairsFromCache: counters.PairsFromCache,
            ZeroShotDecoded: counters.ZeroShotDecoded);

        return new Manifest(
            Tool: "dotnet-nuggets",
            ToolVersion: toolVersion,
            Mode: mode,
            ConfigPath: config.ConfigPath,
            Inputs: description.Files.Select(f => new ManifestInput(f.Path, f.Sha256, f.Rows)).ToArray(),
            Rows: description.Rows,
            Model: new ManifestModel(o.Model.Path!, session.ModelSha256, session.LlamaBuild, session.Backend, fingerprint.Id, fingerprint.NumericBackend,
                session.Threads?.Threads, session.Threads?.Rule)
            {
                Sha256Source = session.ModelSha256Reused ? "reused" : "computed",
            },
            Anchors: new ManifestAnchors(anchors.Method, anchors.Seed, anchors.Examples.Count, anchors.Hash,
                anchors.Method == AnchorMethod.File ? o.Anchors.Path : anchorsPath, anchors.Examples.Select(e => e.Row).ToArray(),
                o.Anchors.From, pins.Lock, anchors.Clustering),
            Settings: new ManifestSettings(o.Scoring.Template, o.Scoring.BosPolicy, o.Scoring.AnchorMaxTokens, o.Scoring.MaxExampleTokens,
                o.Selection.Mode, o.Selection.Threshold, o.Selection.Top, o.Selection.TopPercent, o.Selection.Prune, o.Anchors.ExcludeFromCandidates,
                $"{o.Shard.Index}/{o.Shard.Count}", session.Engine.ContextLength, o.Dataset.MaxRows),
            Counts: counts,
            Histogram: Histogram(scored, anchorCount),
            AnchorWinRates: anchors.Examples.Select((e, i) => new AnchorWinRate(e.Row, counters.AnchorWins[i], counters.AnchorScored[i])).ToArray(),
            Output: output)
        {
            Hub = config.HubInputs,
        };
    }

    /// <summary>The run's pruning, anchor order and pilot, as recorded.</summary>
    public static ManifestPruning Pruning(NuggetsPipeline.Pruning pruning, AnchorOrder order, PilotResult? pilot, NuggetsOptions options) => new(
        pruning switch { NuggetsPipeline.Pruning.Threshold => "threshold", NuggetsPipeline.Pruning.Ranked => "top", _ => "none" },
        pilot is null ? "file" : "pilot",
        order.Anchors.ToArray(),
        pilot is null ? null : new ManifestPilot(options.Selection.PilotAnchors, pilot.Demonstrations, pilot.Pairs, pilot.Wins, pilot.Trials));

    /// <summary>Golden scores in <see cref="HistogramBins"/> equal bars over [0, 1]; the bars sum to the rows scored.</summary>
    public static IReadOnlyList<HistogramBin> Histogram(IReadOnlyList<RowScore> scored, int anchorCount)
    {
        var counts = new long[HistogramBins];
        foreach (var row in scored)
        {
            // Integer arithmetic on wins avoids a score like 0.15 landing in the bar below through rounding.
            var bin = (int)Math.Min(HistogramBins - 1, (long)row.Wins * HistogramBins / anchorCount);
            counts[bin]++;
        }
        return counts.Select((c, i) => new HistogramBin((double)i / HistogramBins, (double)(i + 1) / HistogramBins, c)).ToArray();
    }

    // Reasons carry numbers ("candidate has 812 tokens ..."); group them by their wording.
    private static string Category(string reason) =>
        reason.Contains("maxExampleTokens", StringComparison.Ordinal) ? "longer than scoring.maxExampleTokens"
        : reason.Contains("context", StringComparison.Ordinal) ? "candidate + anchor longer than the context"
        : reason;
}
