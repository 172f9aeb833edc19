using System.Globalization;
using System.Text;

namespace Nuggets.Bench.Report;

/// <summary>The pruning benchmark's Markdown block for docs/benchmarks.md (between its own markers).</summary>
internal static class PruningReport
{
    public const string Begin = "<!-- bench-pruning:begin (written by eng/bench.sh --pruning; edit outside these markers) -->";
    public const string End = "<!-- bench-pruning:end -->";

    public static string Render(PruningMeasurements m, string command)
    {
        var text = new StringBuilder();
        text.AppendLine(Begin);
        text.AppendLine(Invariant($"Measured by `{command}` at commit {m.Facts.Commit} on {m.Facts.Cpu} ({m.Facts.PhysicalCores} cores / {m.Facts.LogicalCpus} threads), {m.Threads} threads, load {m.Facts.LoadAtStart} at start and {m.Facts.LoadAtEnd} at end."));
        text.AppendLine();
        foreach (var model in m.Models)
        {
            var reps = m.Results.Count(r => r.Model == model) / PruningBench.Selections.Count;
            var all = (long)model.Candidates * model.Anchors;
            var coldSeconds = Measurements.Median(Enumerable.Range(0, reps).Select(rep => m.ColdFull(model, rep).ProcessSeconds));
            text.AppendLine(Invariant($"**{model.Description}**: N = {model.Candidates} candidates, M = {model.Anchors} anchors (N × M = {all:N0} pairs), t = {model.Threshold}, {reps} repetition(s), medians. Full scoring (every pair decoded, cold cache): {coldSeconds:F1} s, {model.Candidates / coldSeconds:F2} decisions/s."));
            text.AppendLine();
            text.AppendLine("| selection | selected | anchor order | pairs decoded (share of N × M) | pruned candidates | time | decisions/s | vs full scoring | selection = full scoring's |");
            text.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---|");
            foreach (var (label, _, _) in PruningBench.Selections)
            {
                var runs = m.Of(model, label);
                for (var i = 0; i < PruningBench.Orders.Count; i++)
                {
                    var pairs = Measurements.Median(runs.Select(r => (double)r.Pruned[i].Pairs));
                    var seconds = Measurements.Median(runs.Select(r => r.Pruned[i].ProcessSeconds));
                    var speedup = Measurements.Median(Enumerable.Range(0, runs.Count).Select(rep => m.ColdFull(model, rep).ProcessSeconds / runs[rep].Pruned[i].ProcessSeconds));
                    text.AppendLine(Invariant($"| {(i == 0 ? label : "")} | {(i == 0 ? runs[0].Full.Selections.ToString(CultureInfo.InvariantCulture) : "")} | {PruningBench.Orders[i].Label} | {pairs:N0} ({100 * pairs / all:F0}%) | {PrunedCandidates(runs, i)} | {seconds:F1} s | {model.Candidates / seconds:F2} | {speedup:F2}× | byte-identical, {runs.Count} of {runs.Count} |"));
                }
            }
            text.AppendLine();
        }
        text.AppendLine("Pairs decoded include the pilot's: min(8, M) anchors, each scored as a one-shot demonstration on every anchor (not reused here: the anchors are not candidates). \"Pruned candidates\" stopped before the last anchor. Decisions/s: candidates decided per second of the whole process, model load and outputs included.");
        text.AppendLine(End);
        return text.ToString();
    }

    private static string PrunedCandidates(IReadOnlyList<PruningResult> runs, int order) =>
        Measurements.Median(runs.Select(r => (double)r.Pruned[order].Pruned)).ToString("N0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
