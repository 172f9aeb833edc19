using Nuggets.Bench.Report;

namespace Nuggets.Bench;

/// <summary>The benchmark: measure, print the tables, write the Markdown file and the scaling SVG.</summary>
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

        var measurements = new Orchestrator(options, log).Run();
        var svgPath = Path.Combine(Path.GetDirectoryName(options.Out)!, Path.GetFileNameWithoutExtension(options.Out) + "-scaling.svg");
        var block = MarkdownReport.Render(measurements, Command(args), options.Scaling ? Path.GetFileName(svgPath) : null);
        output.Write(block);
        Directory.CreateDirectory(Path.GetDirectoryName(options.Out)!);
        File.WriteAllText(options.Out, Merge(File.Exists(options.Out) ? File.ReadAllText(options.Out) : null, block));
        if (options.Scaling) File.WriteAllText(svgPath, ScalingReport.Svg(measurements));
        log.WriteLine($"bench: wrote {options.Out}{(options.Scaling ? $" and {svgPath}" : "")}");
        return 0;
    }

    /// <summary>Replaces the generated block of an existing page, keeping the hand-written text around it.</summary>
    private static string Merge(string? page, string block)
    {
        if (page is not null)
        {
            // Matched by prefix, so a page whose begin marker lost or changed its comment still merges.
            var begin = page.IndexOf(MarkdownReport.Begin[..MarkdownReport.Begin.IndexOf(' ', 5)], StringComparison.Ordinal);
            var end = page.IndexOf(MarkdownReport.End, StringComparison.Ordinal);
            if (begin >= 0 && end > begin) return page[..begin] + block.TrimEnd('\n') + page[(end + MarkdownReport.End.Length)..];
        }
        return "# Benchmarks\n\n" + block;
    }

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
