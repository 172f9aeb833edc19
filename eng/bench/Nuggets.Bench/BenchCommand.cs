using Nuggets.Bench.Report;

namespace Nuggets.Bench;

/// <summary>
/// The benchmark: measure, print the tables, and — when every check held (same sums in every row, a non-empty
/// selection that pruning did not change) — write the Markdown file, the scaling SVG and README.md's summary.
/// </summary>
internal static class BenchCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter log)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception error) when (error is ArgumentException or FormatException)
        {
            log.WriteLine($"error: {error.Message}");
            return 2;
        }

        if (options.Pruning) return RunPruning(options, args, output, log);
        var measurements = new Orchestrator(options, log).Run();
        var svgPath = Path.Combine(Path.GetDirectoryName(options.Out)!, Path.GetFileNameWithoutExtension(options.Out) + "-scaling.svg");
        var block = MarkdownReport.Render(measurements, Command(args), options.Scaling ? Path.GetFileName(svgPath) : null);
        output.Write(block);
        if (Disproved(measurements.Failures(), options, log)) return 1;
        Directory.CreateDirectory(Path.GetDirectoryName(options.Out)!);
        File.WriteAllText(options.Out, Merge(File.Exists(options.Out) ? File.ReadAllText(options.Out) : null, block));
        if (options.Scaling) File.WriteAllText(svgPath, ScalingReport.Svg(measurements));
        log.WriteLine($"bench: wrote {options.Out}{(options.Scaling ? $" and {svgPath}" : "")}");
        if (options.WritesRepositoryPage)
        {
            var readme = Path.Combine(options.Repo, "README.md");
            log.WriteLine(ReadmeSummary.Merge(readme, ReadmeSummary.Render(measurements, Command(args)))
                ? $"bench: wrote the summary in {readme}"
                : $"bench: {readme} has no bench-summary markers; its summary was not written");
        }
        return 0;
    }

    /// <summary><c>--pruning</c>: the pruning benchmark, written to its own block of the same page when every check held.</summary>
    private static int RunPruning(BenchOptions options, IReadOnlyList<string> args, TextWriter output, TextWriter log)
    {
        var measurements = new PruningBench(options, log).Run();
        var block = PruningReport.Render(measurements, Command(args));
        output.Write(block);
        if (Disproved(measurements.Failures(), options, log)) return 1;
        Directory.CreateDirectory(Path.GetDirectoryName(options.Out)!);
        var page = File.Exists(options.Out) ? File.ReadAllText(options.Out) : "# Benchmarks\n";
        File.WriteAllText(options.Out, MarkedBlock.Replace(page, PruningReport.Begin, PruningReport.End, block) ?? page.TrimEnd('\n') + "\n\n" + block);
        log.WriteLine($"bench: wrote {options.Out}");
        return 0;
    }

    /// <summary>
    /// True when the run disproved a claim (each failure is logged): then nothing is written anywhere, and the page keeps
    /// its previous results.
    /// </summary>
    private static bool Disproved(IReadOnlyList<string> failures, BenchOptions options, TextWriter log)
    {
        if (failures.Count == 0) return false;
        foreach (var failure in failures) log.WriteLine($"bench: FAILED: {failure}");
        log.WriteLine($"bench: {options.Out} not written");
        return true;
    }

    /// <summary>Replaces the generated block of an existing page, keeping the hand-written text around it.</summary>
    private static string Merge(string? page, string block) =>
        (page is null ? null : MarkedBlock.Replace(page, MarkdownReport.Begin, MarkdownReport.End, block)) ?? "# Benchmarks\n\n" + block;

    /// <summary>The command as a user would type it (the script's own --repo left out).</summary>
    private static string Command(IReadOnlyList<string> args)
    {
        var shown = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--repo") { i++; continue; }
            shown.Add(args[i]);
        }
        return string.Join(' ', ["eng/bench.sh", .. shown]);
    }
}
