using System.Globalization;
using System.Text;
using static Nuggets.Bench.Report.Measurements;

namespace Nuggets.Bench.Report;

/// <summary>The results as Markdown: machine facts, one table per model, the targets checked, profile, scaling.</summary>
internal static class MarkdownReport
{
    public const string Begin = "<!-- bench:begin (written by eng/bench.sh; edit outside these markers) -->";
    public const string End = "<!-- bench:end -->";

    public static string Render(Measurements m, string command, string? svgName)
    {
        var f = m.Facts;
        var s = new StringBuilder();
        s.AppendLine(Begin);
        s.AppendLine($"Measured {f.Started:yyyy-MM-dd HH:mm} UTC with `{command}`{(m.Options.Quick ? " (**quick mode: smoke sizes, numbers not meaningful**)" : "")}.");
        s.AppendLine();
        s.AppendLine($"- Machine: {f.Cpu}, {f.PhysicalCores} physical cores, {f.LogicalCpus} hardware threads, {f.Memory} RAM; {f.Runtime}; {f.Llama}.");
        s.AppendLine($"- Load average (1/5/15 min) at start {f.LoadAtStart}, at end {f.LoadAtEnd} — above {f.LogicalCpus} means the cores were shared with other work.");
        s.AppendLine($"- Commit {f.Commit}; {m.Threads} compute threads; M = {m.Options.Anchors} anchors; {m.Options.Repeat} repetitions, rows interleaved, medians shown.");
        s.AppendLine("- GPU rows: not run — no GPU on this machine (CUDA scoring is not yet benchmarked by this project).");
        foreach (var model in m.Models) ModelSection(s, m, model);
        if (m.Options.Scaling) ScalingReport.Render(s, m, svgName);
        s.AppendLine(End);
        return s.ToString();
    }

    private static void ModelSection(StringBuilder s, Measurements m, BenchModel model)
    {
        var reps = m.Repetitions(model);
        var first = reps[0];
        var n = model.Candidates;
        s.AppendLine();
        s.AppendLine($"### {model.Name}");
        s.AppendLine();
        s.AppendLine($"{model.Description}. N = {n} candidates (mean {first["raw"].MeanCandidateTokens:F0} tokens) × M = {m.Options.Anchors} anchors " +
                     $"(mean {first["raw"].MeanAnchorTokens:F0} tokens) = {first["raw"].Pairs:N0} pairs; n_batch {model.Batch}.");
        s.AppendLine();
        s.AppendLine("| # | row | seconds | pairs | pairs/s | useful tokens/s | × row 2 | × row 1 | peak RSS | notes |");
        s.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        double Pps(string row) => m.Median(model, r => PairsPerSecond(r, row));
        double Tps(string row) => m.Median(model, r => TokensPerSecond(r, row));
        double VsNaive(string row) => m.Median(model, r => PairsPerSecond(r, row) / PairsPerSecond(r, "naive"));
        double VsRaw(string row) => m.Median(model, r => TokensPerSecond(r, row) / TokensPerSecond(r, "raw"));
        string Seconds(string row) => Number(m.Median(model, r => Time(r[row])), "F1");
        void Line(int number, string label, string row, string pairs, string notes) =>
            s.AppendLine($"| {number} | {label} | {Seconds(row)} | {pairs} | {Number(Pps(row), "N1")} | {Number(Tps(row), "N0")} | {Number(VsNaive(row), "F2")}× | {Number(VsRaw(row), "F2")}× | {Number(m.PeakMb(model, row), "N0")} MB | {notes} |");

        var pairs = first["full"].Pairs;
        Line(1, "engine limit: same token volume, full batches, no scoring", "raw", $"({pairs:N0})", "pairs/s = the pairs those tokens would score");
        Line(2, "naive: every pair its own sequence", "naive", $"{first["naive"].Pairs:N0}", "");
        var padded = 1 - first["reference"].UsefulTokens / (double)first["reference"].DecodedTokens;
        Line(3, "reference pattern: candidate shared, anchors padded to 200", "reference", $"{first["reference"].Pairs:N0}",
            $"{padded:P0} of decoded tokens are padding");
        Line(4, "this product, full scoring (whole run)", "full", $"{pairs:N0}", "includes process start, model load, zero-shot, I/O");
        var decoded = first["pruned"].Pairs;
        Line(5, "this product, exact pruning at t = 0.85", "pruned", $"{decoded:N0}",
            $"decoded {decoded / (double)pairs:P0} of the pairs; pairs/s counts all {pairs:N0} decided; selection identical: {(m.SameSelection(model) ? "yes" : "**NO**")}");
        var k = NewRows(n);
        var measured = m.Median(model, r => Incremental(r, n).Measured);
        var onePercent = m.Median(model, r => Incremental(r, n).OnePercent);
        s.AppendLine($"| 6 | rerun after +{k} new row{(k == 1 ? "" : "s")} ({k / (double)n:P0} of N), cache warm | {Seconds("incremental")} | {first["incremental"].Pairs:N0} | | | | | " +
                     $"{Number(m.PeakMb(model, "incremental"), "N0")} MB | **{onePercent:P1} of the cold run at +1% rows** (measured {measured:P1} at +{k / (double)n:P0}; " +
                     $"rerun with no new rows {Seconds("rerun")} s) |");
        ReaderLine(s, m, 7);
        s.AppendLine();
        Targets(s, m, model, onePercent);
        var naiveTokens = first["naive"].DecodedTokens;
        var productTokens = first["full"].DecodedTokens;
        s.AppendLine($"Token arithmetic: the naive row decodes {naiveTokens:N0} tokens, the product {productTokens:N0} (zero-shot sums included in both), " +
                     $"so sharing the candidate can make it at most {naiveTokens / (double)productTokens:F2}× faster at equal cost per token; " +
                     $"row 4 ÷ row 2 above is that bound times the ratio of their per-token speeds.");
        s.AppendLine();
        Profile(s, m, model);
    }

    private static void ReaderLine(StringBuilder s, Measurements m, int number)
    {
        var rows = m.Reader[0].Rows;
        var rate = Median(m.Reader.Select(r => r.Rows / r.Seconds));
        s.AppendLine($"| {number} | streaming read of {rows:N0} Parquet rows (+ content hash) | {Number(Median(m.Reader.Select(r => r.Seconds)), "F1")} | | | | | | " +
                     $"{Number(PeakMb(m.Reader), "N0")} MB | {rate:N0} rows/s (no model; same run for every table) |");
    }

    private static void Targets(StringBuilder s, Measurements m, BenchModel model, double onePercent)
    {
        var vsNaive = m.Median(model, r => PairsPerSecond(r, "full") / PairsPerSecond(r, "naive"));
        var vsRaw = m.Median(model, r => TokensPerSecond(r, "full") / TokensPerSecond(r, "raw"));
        var decodedShare = m.Repetitions(model)[0]["pruned"].Pairs / (double)m.Repetitions(model)[0]["full"].Pairs;
        var rss = PeakMb(m.Reader);
        string Mark(bool met) => met ? "met" : "**missed**";
        s.AppendLine("Targets: " + string.Join("; ", [
            $"row 4 ≥ 3 × row 2 pairs/s: {vsNaive:F2}× — {Mark(vsNaive >= 3)}",
            $"row 4 useful tokens/s ≥ 0.85 × row 1: {vsRaw:F2}× — {Mark(vsRaw >= 0.85)}",
            $"row 5 decodes ≤ 50% of row 4's pairs, same selection: {decodedShare:P0}, {(m.SameSelection(model) ? "same" : "different")} — {Mark(decodedShare <= 0.5 && m.SameSelection(model))}",
            $"row 6 ≤ 3%: {onePercent:P1} — {Mark(onePercent <= 0.03)}",
            $"row 7 peak RSS < 500 MB: {rss:N0} MB — {Mark(rss < 500)}"]) + ".");
        s.AppendLine();
    }

    private static void Profile(StringBuilder s, Measurements m, BenchModel model)
    {
        s.AppendLine("Where the time goes (median shares of each row's time; tokens per `llama_decode` call):");
        s.AppendLine();
        s.AppendLine("| row | decode | log-softmax | rest | decode calls | tokens per call | decoded tokens/s inside decode |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (row, label) in new[] { ("raw", "1 engine limit"), ("naive", "2 naive"), ("reference", "3 reference"), ("full", "4 product") })
        {
            var decode = m.Median(model, r => r[row].DecodeSeconds / Time(r[row]));
            var softmax = m.Median(model, r => r[row].LogSoftmaxSeconds / Time(r[row]));
            var inside = m.Median(model, r => r[row].DecodedTokens / r[row].DecodeSeconds);
            var first = m.Repetitions(model)[0][row];
            s.AppendLine($"| {label} | {decode:P0} | {softmax:P1} | {Math.Max(0, 1 - decode - softmax):P0} | {first.DecodeCalls:N0} | {first.DecodedTokens / (double)Math.Max(1, first.DecodeCalls):N0} | {inside:N0} |");
        }
        s.AppendLine();
    }

    /// <summary>A measured value in <paramref name="format"/>, or a dash when it could not be measured (NaN, infinity).</summary>
    public static string Number(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–";
}
