using System.Globalization;
using System.Text;
using static Nuggets.Bench.Report.Measurements;

namespace Nuggets.Bench.Report;

/// <summary>The results as Markdown: machine facts, one table per model with its checks, arithmetic and targets, the reader, scaling.</summary>
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
        s.AppendLine($"- Commit {f.Commit}; {m.Threads} compute thread{(m.Threads == 1 ? "" : "s")}; {m.Options.Repeat} repetition{(m.Options.Repeat == 1 ? "" : "s")}, rows interleaved, medians shown.");
        s.AppendLine("- GPU rows: not run — no GPU on this machine (CUDA scoring is measured only by eng/gpu/prove.sh on a lent GPU machine).");
        foreach (var model in m.Models) ModelSection(s, m, model);
        ReaderSection(s, m);
        if (m.Options.Scaling) ScalingReport.Render(s, m, svgName);
        s.AppendLine(End);
        return s.ToString();
    }

    private static void ModelSection(StringBuilder s, Measurements m, BenchModel model)
    {
        var reps = m.Repetitions(model);
        var first = reps[0];
        int n = model.Candidates, mm = model.Anchors;
        var pairs = first["bound"].Pairs;
        s.AppendLine();
        s.AppendLine($"### {model.Name}");
        s.AppendLine();
        s.AppendLine($"{model.Description}. N = {n} candidates (mean {first["bound"].MeanCandidateTokens:F0} tokens) × M = {mm} anchors " +
                     $"(mean {first["bound"].MeanAnchorTokens:F0} tokens) = {pairs:N0} pairs; threshold t = {model.Threshold.ToString(CultureInfo.InvariantCulture)}; n_batch {model.Batch} for rows 1–3.");
        s.AppendLine();
        s.AppendLine("| # | row | seconds | pairs | pairs/s | tokens decoded | tokens/s | × row 2 | row 1 ÷ row | peak RSS | notes |");
        s.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        double Pps(string row) => m.Median(model, r => PairsPerSecond(r, row));
        double Tps(string row) => m.Median(model, r => r[row].DecodedTokens / Time(r[row]));
        double VsNaive(string row) => m.Median(model, r => PairsPerSecond(r, row) / PairsPerSecond(r, "naive"));
        double OfBound(string row) => m.Median(model, r => Time(r["bound"]) / Time(r[row]));
        string Seconds(string row) => Number(m.Median(model, r => Time(r[row])), "F1");
        void Line(string number, string label, string row, string pairsText, bool againstBound, string notes) =>
            s.AppendLine($"| {number} | {label} | {Seconds(row)} | {pairsText} | {Number(Pps(row), "N1")} | {first[row].DecodedTokens:N0} | {Number(Tps(row), "N0")} | " +
                         $"{Number(VsNaive(row), "F2")}× | {(againstBound ? Percent(OfBound(row)) : "")} | {Number(m.PeakMb(model, row), "N0")} MB | {notes} |");

        var perAnchor = m.Median(model, r => r["bound"].PerAnchorSeconds);
        var perAnchorBatch = m.Median(model, r => r["bound"].PerAnchorBatchSeconds);
        var packed = m.Median(model, r => r["bound"].PackedSeconds);
        Line("1", "bound: the product's tokens and logit rows, nothing else", "bound", $"{pairs:N0}", true,
            $"the fastest layout: one anchor per call on the product's context {Number(perAnchor, "F1")} s" +
            (!(perAnchorBatch > 0) ? "" : $", with n_batch {model.Batch} {Number(perAnchorBatch, "F1")} s") +
            $", anchors packed {Number(packed, "F1")} s ({first["bound"].PackedCalls:N0} calls)");
        var checks = m.Checks(model);
        string CheckNote(string prefix) => checks.Where(c => c.What.StartsWith(prefix, StringComparison.Ordinal)) is var mine && mine.All(c => c.Passed)
            ? $"{mine.First()} in each of {mine.Count()} repetitions" : "**" + string.Join("; ", mine.Where(c => !c.Passed)) + "**";
        Line("2", "naive: every pair its own sequence", "naive", $"{pairs:N0}", true, "sums: " + CheckNote("row 4"));
        var padded = 1 - first["reference"].UsefulTokens / (double)first["reference"].DecodedTokens;
        Line("3", "reference pattern: candidate shared, anchors padded to 200", "reference", $"{pairs:N0}", true,
            $"{padded:P0} of decoded tokens are padding; sums: " + CheckNote("row 3"));
        var full = first["full"];
        Line("4", "this product, full scoring (whole run)", "full", $"{full.Pairs:N0}", true,
            $"selected {full.Selections:N0} of {full.Rows:N0} ({full.Selections / (double)Math.Max(1, full.Rows):P0}); {full.NearThreshold:N0} rows one win either side of t; process start to exit");
        var decoded = first["pruned"].Pairs;
        Line("5", $"this product, exact pruning at t = {model.Threshold.ToString(CultureInfo.InvariantCulture)}", "pruned", $"{decoded:N0}", false,
            $"decoded {decoded / (double)pairs:P0} of the pairs (pairs/s counts all {pairs:N0} decided); selected {first["pruned"].Selections:N0}, " +
            $"selected.parquet byte-identical to row 4's: {(m.SameSelection(model) ? "yes" : "**NO**")}");
        var k = NewRows(n);
        var measured = m.Median(model, r => Incremental(r, n).Measured);
        var scaled = m.Median(model, r => Incremental(r, n).OnePercent);
        var extrapolated = IsExactlyOnePercent(n) ? "" : $"; scaled to +1% rows (an extrapolation, not measured): {scaled:P1}";
        s.AppendLine($"| 6 | rerun after +{k} new row{(k == 1 ? "" : "s")} (+{k / (double)n:P0} of N), cache warm | {Seconds("incremental")} | {first["incremental"].Pairs:N0} | | " +
                     $"{first["incremental"].DecodedTokens:N0} | | | | {Number(m.PeakMb(model, "incremental"), "N0")} MB | " +
                     $"**measured: {measured:P1} of row 4's time**; rerun with no new rows {Seconds("rerun")} s{extrapolated} |");
        s.AppendLine();
        Arithmetic(s, m, model);
        Targets(s, m, model, measured);
        Profile(s, m, model);
    }

    private static void Arithmetic(StringBuilder s, Measurements m, BenchModel model)
    {
        var first = m.Repetitions(model)[0];
        double naiveTokens = first["naive"].DecodedTokens, productTokens = first["full"].DecodedTokens, boundTokens = first["bound"].DecodedTokens;
        double c = first["bound"].MeanCandidateTokens, a = first["bound"].MeanAnchorTokens;
        var sharing = naiveTokens / productTokens;
        var perToken = m.Median(model, r => PerTokenSpeedVsNaive(r, "full"));
        var perTokenBound = m.Median(model, r => PerTokenSpeedVsNaive(r, "bound"));
        double Inside(string row) => m.Median(model, r => r[row].DecodedTokens / r[row].DecodeSeconds);
        s.AppendLine($"Token arithmetic: naive decodes {naiveTokens:N0} tokens (every pair's candidate and anchor, and each anchor alone); the product " +
                     $"{productTokens:N0} and row 1 {boundTokens:N0} (each candidate once, each anchor N + 1 times). So sharing the candidate can make the " +
                     $"product at most **{sharing:F2}×** faster than naive at equal cost per token (about 1 + |c|/|a| = 1 + {c:F0}/{a:F0} = {1 + c / a:F2} from the mean lengths). " +
                     $"Measured per-token speed against naive's: row 1 {perTokenBound:F2}, the product {perToken:F2} (whole process; inside `llama_decode` " +
                     $"{Inside("full"):N0} tokens/s against naive's {Inside("naive"):N0}). Row 4 ÷ row 2 = {sharing:F2} × {perToken:F2} = {sharing * perToken:F2}×.");
        s.AppendLine();
    }

    private static void Targets(StringBuilder s, Measurements m, BenchModel model, double measuredRerun)
    {
        var perToken = m.Median(model, r => PerTokenSpeedVsNaive(r, "full"));
        var pruned = m.Median(model, r => PairsPerSecond(r, "pruned") / PairsPerSecond(r, "naive"));
        var selection = m.SameSelection(model) && m.Repetitions(model).All(r => r["pruned"].Selections > 0);
        string Mark(bool met) => met ? "met" : "**missed**";
        var n = model.Candidates;
        var rerun = IsExactlyOnePercent(n)
            ? $"+1% rows, measured, ≤ 3% of the cold run: {measuredRerun:P1} — {Mark(measuredRerun <= 0.03)}"
            : $"+1% rows ≤ 3% of the cold run: not measured here (N = {n}: the smallest increment, one row, is {1.0 / n:P0})";
        s.AppendLine("Targets: " + string.Join("; ", [
            $"row 4 ≥ 0.9 × the sharing bound × naive's per-token speed (its tokens/s ≥ 0.9 × naive's): {perToken:F2} — {Mark(perToken >= 0.9)}",
            $"exact pruning ≥ 5 × naive's decisions/s with a non-empty, byte-identical selection: {pruned:F2}×, {(selection ? "non-empty and identical" : "**not**")} — {Mark(pruned >= 5 && selection)}",
            rerun]) + ".");
        s.AppendLine();
    }

    private static void ReaderSection(StringBuilder s, Measurements m)
    {
        s.AppendLine();
        s.AppendLine("### Streaming read (row 7)");
        s.AppendLine();
        s.AppendLine("Generated Alpaca-shaped zstd Parquet (md5 text, unique rows, row groups of 100,000) through `DuckDbDatasetReader`, every row's content hash computed, no model.");
        s.AppendLine();
        s.AppendLine("| # | rows | seconds | rows/s | peak RSS |");
        s.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var size in m.ReaderSizes)
        {
            var runs = m.ReaderOf(size);
            s.AppendLine($"| 7 | {size:N0} | {Number(Median(runs.Select(r => r.Seconds)), "F1")} | {Number(Median(runs.Select(r => r.Rows / r.Seconds)), "N0")} | {Number(PeakMb(runs), "N0")} MB |");
        }
        s.AppendLine();
        const long target = 10_000_000;
        s.AppendLine(m.ReaderSizes.Contains(target)
            ? $"Target: peak RSS < 300 MB at 10,000,000 rows: {PeakMb(m.ReaderOf(target)):N0} MB — {(PeakMb(m.ReaderOf(target)) < 300 ? "met" : "**missed**")}."
            : "Target: peak RSS < 300 MB at 10,000,000 rows — not measured in this run.");
    }

    private static void Profile(StringBuilder s, Measurements m, BenchModel model)
    {
        s.AppendLine("Where the time goes (median shares of each row's time; tokens per `llama_decode` call):");
        s.AppendLine();
        s.AppendLine("| row | decode | log-softmax | rest | decode calls | tokens per call | decoded tokens/s inside decode |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (row, label) in new[] { ("bound", "1 bound"), ("naive", "2 naive"), ("reference", "3 reference"), ("full", "4 product") })
        {
            var decode = m.Median(model, r => r[row].DecodeSeconds / Time(r[row]));
            var softmax = m.Median(model, r => r[row].LogSoftmaxSeconds / Time(r[row]));
            var inside = m.Median(model, r => r[row].DecodedTokens / r[row].DecodeSeconds);
            var first = m.Repetitions(model)[0][row];
            s.AppendLine($"| {label} | {decode:P0} | {softmax:P1} | {Math.Max(0, 1 - decode - softmax):P0} | {first.DecodeCalls:N0} | {first.DecodedTokens / (double)Math.Max(1, first.DecodeCalls):N0} | {inside:N0} |");
        }
        s.AppendLine();
    }

    private static string Percent(double value) => double.IsFinite(value) ? value.ToString("P0", CultureInfo.CurrentCulture) : "–";

    /// <summary>A measured value in <paramref name="format"/>, or a dash when it could not be measured (NaN, infinity).</summary>
    public static string Number(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–";
}
