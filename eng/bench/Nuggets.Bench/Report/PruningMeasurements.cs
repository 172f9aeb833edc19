namespace Nuggets.Bench.Report;

/// <summary>One selection of one model in one repetition: its full run and its pruned runs (in <see cref="PruningBench.Orders"/> order).</summary>
internal sealed record PruningResult(BenchModel Model, string Selection, RowResult Full, IReadOnlyList<RowResult> Pruned);

/// <summary>What <see cref="PruningBench"/> measured, and the checks the run must pass before anything is written.</summary>
internal sealed class PruningMeasurements(MachineFacts facts, IReadOnlyList<BenchModel> models, int threads)
{
    private readonly List<PruningResult> results = [];

    public MachineFacts Facts { get; } = facts;
    public IReadOnlyList<BenchModel> Models { get; } = models;
    public int Threads { get; } = threads;
    public IReadOnlyList<PruningResult> Results => results;

    public void Add(BenchModel model, string selection, RowResult full, IReadOnlyList<RowResult> pruned) =>
        results.Add(new PruningResult(model, selection, full, pruned));

    /// <summary>The repetitions of one model and selection.</summary>
    public IReadOnlyList<PruningResult> Of(BenchModel model, string selection) =>
        results.Where(r => r.Model == model && r.Selection == selection).ToList();

    /// <summary>
    /// The cold full run of a model in a repetition: the first selection's, which decoded every pair (the others read
    /// them from its cache). Scoring every anchor costs the same whatever is selected, so it is every selection's baseline.
    /// </summary>
    public RowResult ColdFull(BenchModel model, int repetition) => results.Where(r => r.Model == model).Chunk(PruningBench.Selections.Count).ElementAt(repetition).First().Full;

    /// <summary>Every broken promise: a selection that differs from full scoring's, an empty one, or a cold full run that did not decode every pair.</summary>
    public IReadOnlyList<string> Failures()
    {
        var failures = new List<string>();
        foreach (var result in results)
        {
            if (result.Full.Selections == 0) failures.Add($"{result.Model.Name} {result.Selection}: full scoring selected nothing (an empty comparison)");
            for (var i = 0; i < result.Pruned.Count; i++)
            {
                var pruned = result.Pruned[i];
                if (!SameBytes(pruned.Selected, result.Full.Selected))
                    failures.Add($"{result.Model.Name} {result.Selection} {PruningBench.Orders[i].Label}: selected.parquet differs from full scoring's");
            }
        }
        foreach (var model in Models)
        {
            var reps = results.Count(r => r.Model == model) / PruningBench.Selections.Count;
            for (var rep = 0; rep < reps; rep++)
                if (ColdFull(model, rep).Pairs != (long)model.Candidates * model.Anchors)
                    failures.Add($"{model.Name}: the cold full run decoded {ColdFull(model, rep).Pairs} pairs, not N × M = {model.Candidates * model.Anchors}");
        }
        return failures;
    }

    private static bool SameBytes(string? a, string? b) =>
        a is not null && b is not null && File.Exists(a) && File.Exists(b) && File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));
}
