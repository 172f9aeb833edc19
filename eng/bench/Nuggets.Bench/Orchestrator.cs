using Nuggets.Bench.Report;
using Nuggets.Bench.Rows;
using Nuggets.Llama;

namespace Nuggets.Bench;

/// <summary>
/// Runs every row as a child process, round-robin: repetition 1 runs rows 1–7 (and the scaling points) on every
/// model, then repetition 2 does it again, and so on; the report takes medians of per-repetition values and
/// ratios, so load that drifts during the run hits all rows alike. After each model's rows it checks that they
/// computed the same sums and that rows 4 and 5 selected the same, non-empty set.
/// </summary>
internal sealed class Orchestrator(BenchOptions options, TextWriter log)
{
    public Measurements Run()
    {
        var facts = MachineFacts.Capture(options.Repo);
        log.WriteLine($"bench: {facts.Cpu}, {facts.PhysicalCores} cores / {facts.LogicalCpus} threads, load {facts.LoadAtStart}, commit {facts.Commit}");
        var runDirectory = Path.Combine(options.Work, "runs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(runDirectory);
        var runner = new ChildRunner(runDirectory);
        var workload = new Workload(options.Shared, Path.Combine(options.Work, "data"));
        var threads = options.Threads == 0 ? CpuTopology.PhysicalCores : options.Threads;
        var models = options.Models.Select(m => BenchModel.Resolve(m, options)).ToList();
        var readerFiles = options.ReaderRows.Select(rows => ReaderFile(rows)).ToList();

        var measurements = new Measurements(options, facts, models, threads);
        for (var rep = 1; rep <= options.Repeat; rep++)
        {
            foreach (var model in models)
            {
                var rows = new Dictionary<string, RowResult>();
                var spec = new ChildSpec
                {
                    Row = "", Model = model.Path, Batch = model.Batch, Threads = threads,
                    AnchorsFile = workload.Anchors(model.Anchors), CandidatesFile = workload.Candidates(model.Candidates),
                    Anchors = model.Anchors, Candidates = model.Candidates, Threshold = model.Threshold,
                };
                var folder = Path.Combine(runDirectory, $"{model.Name}-{rep}");
                Directory.CreateDirectory(folder);
                RowResult Run(ChildSpec row)
                {
                    var result = runner.Run(row);
                    log.WriteLine($"bench: [{rep}/{options.Repeat}] {model.Name,-14} {row.Row,-12} {result.ProcessSeconds,7:F1} s");
                    return rows[row.Row] = result;
                }

                Run(spec with { Row = "bound" });
                Run(spec with { Row = "naive" });
                Run(spec with { Row = "reference" });
                var full = Path.Combine(folder, "full.duckdb");
                Run(spec with { Row = "full", Cache = full, Output = Path.Combine(folder, "full") });
                Run(spec with { Row = "pruned", Cache = Path.Combine(folder, "pruned.duckdb"), Output = Path.Combine(folder, "pruned"), Prune = true });
                Run(spec with
                {
                    Row = "incremental", Cache = CopyCache(full, Path.Combine(folder, "incremental.duckdb")), Output = Path.Combine(folder, "incremental"),
                    CandidatesFile = workload.Candidates(model.Candidates + Measurements.NewRows(model.Candidates)),
                });
                Run(spec with { Row = "rerun", Cache = CopyCache(full, Path.Combine(folder, "rerun.duckdb")), Output = Path.Combine(folder, "rerun") });
                if (options.Scaling && model == models[0])
                {
                    foreach (var (n, m) in measurements.ScalingPoints)
                    {
                        Run(spec with { Row = $"scale-{n}x{m}", Anchors = m, Candidates = n, AnchorsFile = workload.Anchors(m), CandidatesFile = workload.Candidates(n) });
                    }
                }
                var checks = new[]
                {
                    SumCheck.ProductAgainstNaive(full, rows["naive"].Sums!),
                    SumCheck.ReferenceAgainstNaive(rows["reference"].Sums!, rows["naive"].Sums!),
                };
                foreach (var check in checks) log.WriteLine($"bench: [{rep}/{options.Repeat}] {model.Name,-14} {(check.Passed ? "check" : "FAILED")}  {check}");
                measurements.Add(model, rows, checks);
            }
            foreach (var file in readerFiles)
            {
                var reader = runner.Run(new ChildSpec { Row = "reader", CandidatesFile = file });
                log.WriteLine($"bench: [{rep}/{options.Repeat}] {"(no model)",-14} reader {reader.Rows,12:N0} rows {reader.ProcessSeconds,7:F1} s");
                measurements.AddReader(reader);
            }
        }
        facts.LoadAtEnd = MachineFacts.LoadAverage();
        return measurements;
    }

    private string ReaderFile(long rows)
    {
        var file = Path.Combine(options.Work, $"reader-{rows}.parquet");
        if (!File.Exists(file))
        {
            log.WriteLine($"bench: generating {rows:N0} Parquet rows for row 7 (once) …");
            ReaderRow.Generate(file, rows);
        }
        return file;
    }

    /// <summary>A DuckDB file plus its write-ahead log, if one was left, so the copy is the same database.</summary>
    private static string CopyCache(string source, string destination)
    {
        File.Copy(source, destination, overwrite: true);
        if (File.Exists(source + ".wal")) File.Copy(source + ".wal", destination + ".wal", overwrite: true);
        return destination;
    }
}
