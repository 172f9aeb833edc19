using Nuggets.Bench.Report;

namespace Nuggets.Bench;

/// <summary>
/// The pruning benchmark (<c>eng/bench.sh --pruning</c>): for each model and selection — threshold t, top 1%, top
/// 10% — the product scoring every anchor, then pruning with the anchors in file order and in the pilot's order,
/// each pruned run on a cold cache. Every pruned run's <c>selected.parquet</c> must be byte-identical to the full
/// run's for the same selection, and non-empty; otherwise the run fails and writes nothing.
/// </summary>
internal sealed class PruningBench(BenchOptions options, TextWriter log)
{
    /// <summary>The selections measured: (label, selection.mode, threshold or percent).</summary>
    public static readonly IReadOnlyList<(string Label, string Mode, double TopPercent)> Selections =
    [
        ("threshold", "threshold", 10), // the percent is unused in threshold mode
        ("top 1%", "topPercent", 1),
        ("top 10%", "topPercent", 10),
    ];

    /// <summary>The pruned runs of one selection: (label, anchor order).</summary>
    public static readonly IReadOnlyList<(string Label, string Order)> Orders = [("file order", "file"), ("pilot order", "pilot")];

    public PruningMeasurements Run()
    {
        var facts = MachineFacts.Capture(options.Repo);
        log.WriteLine($"bench --pruning: {facts.Cpu}, {facts.PhysicalCores} cores / {facts.LogicalCpus} threads, load {facts.LoadAtStart}, commit {facts.Commit}");
        var runDirectory = Path.Combine(options.Work, "runs", "pruning-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(runDirectory);
        var runner = new ChildRunner(runDirectory);
        var workload = new Workload(options.Shared, Path.Combine(options.Work, "data"));
        var threads = options.Threads == 0 ? Nuggets.Llama.CpuTopology.PhysicalCores : options.Threads;
        var models = options.Models.Select(m => BenchModel.Resolve(m, options)).ToList();
        var measurements = new PruningMeasurements(facts, models, threads);

        for (var rep = 1; rep <= options.Repeat; rep++)
        {
            foreach (var model in models)
            {
                var folder = Path.Combine(runDirectory, $"{model.Name}-{rep}");
                Directory.CreateDirectory(folder);
                var spec = new ChildSpec
                {
                    Row = "", Model = model.Path, Batch = model.Batch, Threads = threads,
                    AnchorsFile = workload.Anchors(model.Anchors), CandidatesFile = workload.Candidates(model.Candidates),
                    Anchors = model.Anchors, Candidates = model.Candidates, Threshold = model.Threshold,
                };
                RowResult Run(ChildSpec row)
                {
                    var result = runner.Run(row);
                    log.WriteLine($"bench: [{rep}/{options.Repeat}] {model.Name,-14} {row.Row,-28} {result.ProcessSeconds,7:F1} s, {result.Pairs,7:N0} pairs, {result.Selections} selected");
                    return result;
                }

                var fullCache = Path.Combine(folder, "full.duckdb");
                foreach (var (label, mode, percent) in Selections)
                {
                    var selection = spec with { Mode = mode, TopPercent = percent };
                    var slug = label.Replace(' ', '-').Replace("%", "pct", StringComparison.Ordinal);
                    // The first full run decodes every pair; the others read them from its cache (their time is not the point).
                    var full = Run(selection with { Row = $"prune-{slug}-full", Cache = fullCache, Output = Path.Combine(folder, $"{slug}-full") });
                    var pruned = Orders.Select(o => Run(selection with
                    {
                        Row = $"prune-{slug}-{o.Order}", Prune = true, AnchorOrder = o.Order,
                        Cache = Path.Combine(folder, $"{slug}-{o.Order}.duckdb"), Output = Path.Combine(folder, $"{slug}-{o.Order}"),
                    })).ToArray();
                    measurements.Add(model, label, full, pruned);
                }
            }
        }
        facts.LoadAtEnd = MachineFacts.LoadAverage();
        return measurements;
    }
}
