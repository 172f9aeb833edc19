using System.Globalization;
using System.Text;
using static Nuggets.Bench.Report.Measurements;

namespace Nuggets.Bench.Report;

/// <summary>
/// README.md's benchmark table, written by the benchmark itself from the same measurements as docs/benchmarks.md,
/// so no figure in the README is ever typed by hand.
/// </summary>
internal static class ReadmeSummary
{
    public const string Begin = "<!-- bench-summary:begin (written by eng/bench.sh from docs/benchmarks.md's run; edit outside these markers) -->";
    public const string End = "<!-- bench-summary:end -->";

    public static string Render(Measurements m, string command)
    {
        var f = m.Facts;
        var s = new StringBuilder();
        s.AppendLine(Begin);
        s.AppendLine($"Last run: `{command}`, {f.Started:yyyy-MM-dd}, {f.Cpu} ({f.LogicalCpus} hardware threads, {m.Threads} compute threads), " +
                     $"load average {f.LoadAtStart.Split(" / ")[0]} at start and {f.LoadAtEnd.Split(" / ")[0]} at end, commit {f.Commit}; medians of {m.Options.Repeat} " +
                     "repetitions. The product's rows are whole processes (start, model load, zero-shot sums, I/O); the baselines time their scoring loop only. " +
                     "In every repetition the product's sums equalled the naive row's bit for bit, and the paper's pattern equalled them clipped at 200 tokens.");
        s.AppendLine();
        s.AppendLine("| row | " + string.Join(" | ", m.Models.Select(x => $"{x.Name} (N = {x.Candidates}, M = {x.Anchors}, t = {x.Threshold.ToString(CultureInfo.InvariantCulture)})")) + " |");
        s.AppendLine("|---|" + string.Concat(m.Models.Select(_ => "---|")));
        void Row(string label, Func<BenchModel, string> cell) => s.AppendLine($"| {label} | {string.Join(" | ", m.Models.Select(cell))} |");
        double Pps(BenchModel x, string row) => m.Median(x, r => PairsPerSecond(r, row));
        double VsNaive(BenchModel x, string row) => m.Median(x, r => PairsPerSecond(r, row) / PairsPerSecond(r, "naive"));
        Row("1 bound: the product's tokens, nothing else", x => $"{Pps(x, "bound"):N1} pairs/s");
        Row("2 naive: every pair its own sequence", x => $"{Pps(x, "naive"):N1} pairs/s");
        Row("3 the paper's pattern (shared, padded to 200)", x => $"{Pps(x, "reference"):N1} pairs/s ({VsNaive(x, "reference"):F2}×)");
        Row("4 this product, full scoring", x => $"{Pps(x, "full"):N1} pairs/s: **{VsNaive(x, "full"):F2}× naive**, {m.Median(x, r => Time(r["bound"]) / Time(r["full"])):P0} of the bound's speed; " +
                                                 $"selected {m.Repetitions(x)[0]["full"].Selections} of {m.Repetitions(x)[0]["full"].Rows}");
        Row("5 exact pruning at t", x => $"{m.Repetitions(x)[0]["pruned"].Pairs / (double)m.Repetitions(x)[0]["full"].Pairs:P0} of pairs decoded, **{VsNaive(x, "pruned"):F2}× naive** decisions/s, " +
                                         (m.SameSelection(x) ? "byte-identical selection" : "**different selection**"));
        Row("6 rerun after new rows, cache warm", x => $"+{NewRows(x.Candidates)} row{(NewRows(x.Candidates) == 1 ? "" : "s")} ({NewRows(x.Candidates) / (double)x.Candidates:P0}): " +
                                                      $"**{m.Median(x, r => Incremental(r, x.Candidates).Measured):P1}** of the cold run");
        var reader = string.Join("; ", m.ReaderSizes.Select(size => $"{size:N0} rows: {Median(m.ReaderOf(size).Select(r => r.Rows / r.Seconds)):N0} rows/s, peak RSS {PeakMb(m.ReaderOf(size)):N0} MB"));
        Row("7 streaming read (no model)", x => x == m.Models[0] ? reader : "(same)");
        s.AppendLine(End);
        return s.ToString();
    }

    /// <summary>Replaces the summary between the markers of <paramref name="readme"/>; false when the file has no markers.</summary>
    public static bool Merge(string readme, string block)
    {
        if (!File.Exists(readme)) return false;
        var merged = MarkedBlock.Replace(File.ReadAllText(readme), Begin, End, block);
        if (merged is null) return false;
        File.WriteAllText(readme, merged);
        return true;
    }
}
