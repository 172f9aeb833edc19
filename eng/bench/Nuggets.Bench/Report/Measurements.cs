namespace Nuggets.Bench.Report;

/// <summary>Every child's result, per model and repetition, and the medians the report is made of.</summary>
internal sealed class Measurements(BenchOptions options, MachineFacts facts, IReadOnlyList<BenchModel> models, int threads)
{
    private readonly Dictionary<string, List<Dictionary<string, RowResult>>> results = [];
    private readonly Dictionary<string, List<SumCheck>> checks = [];
    private readonly List<RowResult> reader = [];

    public BenchOptions Options => options;
    public MachineFacts Facts => facts;
    public IReadOnlyList<BenchModel> Models => models;
    public int Threads => threads;
    /// <summary>Row 7's runs of one file size.</summary>
    public IReadOnlyList<RowResult> ReaderOf(long rows) => reader.Where(r => r.Rows == rows).ToList();

    /// <summary>The reader file sizes measured, smallest first.</summary>
    public IReadOnlyList<long> ReaderSizes => reader.Select(r => r.Rows).Distinct().Order().ToList();

    /// <summary>Rows added for the incremental rerun: 1% of N, at least one.</summary>
    public static int NewRows(int candidates) => Math.Max(1, (candidates + 99) / 100);

    /// <summary>(N, M) of the scaling table: a base, N × 10, M × 10.</summary>
    public IReadOnlyList<(int N, int M)> ScalingPoints => options.Quick ? [(1, 1), (10, 1), (1, 10)] : [(2, 10), (20, 10), (2, 100)];

    public void Add(BenchModel model, Dictionary<string, RowResult> rows, IEnumerable<SumCheck> sumChecks)
    {
        if (!results.TryGetValue(model.Name, out var list)) results[model.Name] = list = [];
        list.Add(rows);
        if (!checks.TryGetValue(model.Name, out var checkList)) checks[model.Name] = checkList = [];
        checkList.AddRange(sumChecks);
    }

    /// <summary>The sum checks of every repetition of a model.</summary>
    public IReadOnlyList<SumCheck> Checks(BenchModel model) => checks.TryGetValue(model.Name, out var list) ? list : [];

    /// <summary>
    /// What makes the run's claims false, one line each: sums that differ between rows, a selection that is empty
    /// (a comparison of two empty sets proves nothing) or that pruning changed. Empty when the run holds.
    /// </summary>
    public IReadOnlyList<string> Failures()
    {
        var failures = new List<string>();
        foreach (var model in models)
        {
            failures.AddRange(Checks(model).Where(c => !c.Passed).Select(c => $"{model.Name}: {c}"));
            var reps = Repetitions(model);
            if (reps.Any(r => r["full"].Selections == 0))
                failures.Add($"{model.Name}: row 4 selected nothing at t = {model.Threshold}; rows 4 and 5 would compare two empty sets (lower --threshold)");
            if (!SameSelection(model))
                failures.Add($"{model.Name}: exact pruning (row 5) selected a different selected.parquet than full scoring (row 4)");
        }
        return failures;
    }

    public void AddReader(RowResult result) => reader.Add(result);

    public IReadOnlyList<Dictionary<string, RowResult>> Repetitions(BenchModel model) => results[model.Name];

    /// <summary>
    /// The time a row is rated by. Baselines (rows 1–3): their scoring loop, model already loaded (the kindest
    /// reading). The product (rows 4–6): its whole process as a user would run it, start to exit.
    /// </summary>
    public static double Time(RowResult row) => IsProduct(row.Row) ? row.ProcessSeconds : row.Seconds;

    /// <summary>Rows that run the product as a user does (timed start to exit).</summary>
    public static bool IsProduct(string row) => row is "full" or "pruned" or "incremental" or "rerun";

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Median over repetitions of a value computed within each repetition.</summary>
    public double Median(BenchModel model, Func<Dictionary<string, RowResult>, double> value) => Median(Repetitions(model).Select(value));

    /// <summary>Pairs per second; for the pruned row, pairs decided (N × M) per second.</summary>
    public static double PairsPerSecond(Dictionary<string, RowResult> rows, string row) =>
        (row == "pruned" ? rows["full"].Pairs : rows[row].Pairs) / Time(rows[row]);

    /// <summary>A row's decoded tokens per second over the naive row's: how costly its tokens are, not how many.</summary>
    public static double PerTokenSpeedVsNaive(Dictionary<string, RowResult> rows, string row) =>
        rows[row].DecodedTokens / Time(rows[row]) / (rows["naive"].DecodedTokens / Time(rows["naive"]));

    /// <summary>
    /// The rerun after +k rows (k = <see cref="NewRows"/>) as a fraction of the cold run: measured, and — a secondary,
    /// labelled figure only — scaled to exactly 1% of rows.
    /// </summary>
    /// <remarks>
    /// With N &lt; 100 candidates the smallest increment, one row, is more than 1%. The scaled figure splits the rerun
    /// into its fixed part (a rerun with no new rows: start, model load, reading, cache look-ups, outputs) and the new
    /// rows' part, and scales the latter to 1% of N: (fixed + new × 0.01 N / k) / cold. It is an extrapolation; the
    /// report shows it only beside the measured figure. With N a multiple of 100 both are the same.
    /// </remarks>
    public static (double Measured, double OnePercent) Incremental(Dictionary<string, RowResult> rows, int candidates)
    {
        double cold = Time(rows["full"]), rerun = Time(rows["incremental"]), fixedPart = Math.Min(Time(rows["rerun"]), rerun);
        var k = NewRows(candidates);
        return (rerun / cold, (fixedPart + (rerun - fixedPart) * 0.01 * candidates / k) / cold);
    }

    /// <summary>Whether new rows make exactly 1% of N (so row 6 measures the +1% case itself).</summary>
    public static bool IsExactlyOnePercent(int candidates) => NewRows(candidates) * 100 == candidates;

    /// <summary>Whether full scoring and pruning selected byte-identical files in every repetition.</summary>
    public bool SameSelection(BenchModel model) => Repetitions(model).All(r =>
        r["full"].Selected is { } a && r["pruned"].Selected is { } b && File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)));

    public static double PeakMb(IEnumerable<RowResult> rows) => rows.Max(r => r.PeakRssKb) / 1024.0;

    public double PeakMb(BenchModel model, string row) => PeakMb(Repetitions(model).Select(r => r[row]));
}
