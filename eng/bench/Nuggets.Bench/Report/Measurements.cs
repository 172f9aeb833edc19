namespace Nuggets.Bench.Report;

/// <summary>Every child's result, per model and repetition, and the medians the report is made of.</summary>
internal sealed class Measurements(BenchOptions options, MachineFacts facts, IReadOnlyList<BenchModel> models, int threads)
{
    private readonly Dictionary<string, List<Dictionary<string, RowResult>>> results = [];
    private readonly List<RowResult> reader = [];

    public BenchOptions Options => options;
    public MachineFacts Facts => facts;
    public IReadOnlyList<BenchModel> Models => models;
    public int Threads => threads;
    public IReadOnlyList<RowResult> Reader => reader;

    /// <summary>Rows added for the incremental rerun: 1% of N, at least one.</summary>
    public static int NewRows(int candidates) => Math.Max(1, (candidates + 99) / 100);

    /// <summary>(N, M) of the scaling table: a base, N × 10, M × 10.</summary>
    public IReadOnlyList<(int N, int M)> ScalingPoints => options.Quick ? [(1, 1), (10, 1), (1, 10)] : [(2, 10), (20, 10), (2, 100)];

    public void Add(BenchModel model, Dictionary<string, RowResult> rows)
    {
        if (!results.TryGetValue(model.Name, out var list)) results[model.Name] = list = [];
        list.Add(rows);
    }

    public void AddReader(RowResult result) => reader.Add(result);

    public IReadOnlyList<Dictionary<string, RowResult>> Repetitions(BenchModel model) => results[model.Name];

    /// <summary>
    /// The time a row is rated by. Baselines (rows 1–3): their scoring loop, model already loaded (the kindest
    /// reading). The product (rows 4–6): its whole process as a user would run it, start to exit.
    /// </summary>
    public static double Time(RowResult row) => row.Row is "full" or "pruned" or "incremental" or "rerun" ? row.ProcessSeconds : row.Seconds;

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

    public static double TokensPerSecond(Dictionary<string, RowResult> rows, string row) => rows[row].UsefulTokens / Time(rows[row]);

    /// <summary>The rerun after +1% rows as a fraction of the cold run: measured, and scaled to exactly 1% of rows.</summary>
    /// <remarks>
    /// With N &lt; 100 candidates the smallest increment, one row, is more than 1%. The rerun is then split into its
    /// fixed part (a rerun with no new rows: start, model load, reading, cache look-ups, outputs) and the new rows'
    /// part, and the latter is scaled to 1% of N: (fixed + new × 0.01 N / k) / cold. With N ≥ 100 both are the same.
    /// </remarks>
    public static (double Measured, double OnePercent) Incremental(Dictionary<string, RowResult> rows, int candidates)
    {
        double cold = Time(rows["full"]), rerun = Time(rows["incremental"]), fixedPart = Math.Min(Time(rows["rerun"]), rerun);
        var k = NewRows(candidates);
        return (rerun / cold, (fixedPart + (rerun - fixedPart) * 0.01 * candidates / k) / cold);
    }

    /// <summary>Whether full scoring and pruning selected byte-identical files in every repetition.</summary>
    public bool SameSelection(BenchModel model) => Repetitions(model).All(r =>
        r["full"].Selected is { } a && r["pruned"].Selected is { } b && File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)));

    public static double PeakMb(IEnumerable<RowResult> rows) => rows.Max(r => r.PeakRssKb) / 1024.0;

    public double PeakMb(BenchModel model, string row) => PeakMb(Repetitions(model).Select(r => r[row]));
}
