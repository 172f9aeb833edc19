using System.CommandLine;
using Nuggets.Cli.Composition;
using Nuggets.Core;
using Nuggets.Core.Output;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Reporting;
using Nuggets.Core.Stability;
using Nuggets.DuckDb.Reports;

namespace Nuggets.Cli.Commands;

/// <summary><c>dotnet nuggets report</c>: the selection report, one self-contained HTML file beside the selection.</summary>
internal static class ReportCommand
{
    /// <summary>The report's file name in the output folder.</summary>
    public const string FileName = OutputLayout.ReportFileName;

    public static Command Create()
    {
        var output = OutputFolderOption();
        var config = ConfigOption();
        var command = new Command("report", $"Write {FileName} (histogram, selection curve, anchor win rates, best and worst examples, provenance) from a run's output folder.") { output, config };
        command.SetAction(parsed =>
        {
            var (folder, mapping) = ResolveOutput(parsed.GetValue(output), parsed.GetValue(config));
            Console.WriteLine(Write(folder, mapping));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Writes <see cref="FileName"/> into <paramref name="outputDirectory"/> from its manifest.json and score table
    /// (scores.parquet/.jsonl when present), atomically; returns its path.
    /// </summary>
    public static string Write(string outputDirectory, ColumnMapping? mapping)
    {
        var manifestPath = Path.Combine(outputDirectory, OutputLayout.ManifestFileName);
        if (!File.Exists(manifestPath))
            throw new NuggetsException($"{manifestPath} does not exist; run `dotnet nuggets run` (or score/select) first, or pass --output.", ExitCodes.DatasetNotFound);
        var manifest = ManifestWriter.Read(manifestPath);

        var scoresPath = ScoresFile(outputDirectory);
        IReadOnlyList<ScoreLevel> levels = [];
        IReadOnlyList<ScoredExample> top = [], bottom = [];
        if (scoresPath is not null)
        {
            using var scores = ScoreTableReader.Open(scoresPath, mapping);
            levels = ScoreTableRows.ToLevels(scores.Levels());
            top = ScoreTableRows.ToExamples(scores.Top(HtmlReport.ExamplesShown));
            bottom = ScoreTableRows.ToExamples(scores.Bottom(HtmlReport.ExamplesShown));
        }

        double? lowestSelected = null;
        if (manifest.Mode != PipelineMode.Score && Beside(outputDirectory, manifest.Output?.Path) is { } selectedPath)
        {
            using var selected = ScoreTableReader.Open(selectedPath, mapping);
            lowestSelected = selected.LowestScore();
        }

        IReadOnlyDictionary<long, string> anchorPreviews = new Dictionary<long, string>();
        if (Beside(outputDirectory, manifest.Anchors.Path) is { } anchorsPath)
        {
            using var anchors = ScoreTableReader.Open(anchorsPath, mapping, previewChars: 200);
            anchorPreviews = anchors.Previews();
        }

        StabilityEstimate? stability = null;
        string? unavailable = null;
        var scoredRows = levels.Sum(l => l.Count);
        if (scoresPath is null) unavailable = "no score table beside the manifest (scores.parquet)";
        else if (scoredRows > StabilityRowLimit)
            unavailable = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the score table has {scoredRows:N0} rows, more than the report estimates stability for ({StabilityRowLimit:N0}); run `dotnet nuggets stability`");
        else
        {
            try
            {
                stability = StabilityCommand.Estimate(manifest, scoresPath);
            }
            catch (NuggetsException e) when (e.ExitCode is ExitCodes.MissingColumn or ExitCodes.CorruptDataset)
            {
                // An older score table (no outcomes column) still gives the rest of the report.
                unavailable = e.Message;
            }
        }

        var html = HtmlReport.Render(new SelectionReport(manifest, levels, top, bottom, anchorPreviews, lowestSelected, scoresPath)
            { Stability = stability, StabilityUnavailable = unavailable });
        var path = Path.GetFullPath(Path.Combine(outputDirectory, FileName));
        var temporary = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temporary, html);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// Most scored rows the report estimates stability for: the bootstrap's time grows with rows × resamples and every
    /// <c>run</c> writes the report; above it the section points to <c>dotnet nuggets stability</c>, which has no limit.
    /// </summary>
    public const long StabilityRowLimit = 500_000;

    /// <summary>The score table in <paramref name="outputDirectory"/> (scores.parquet, else scores.jsonl), or null.</summary>
    public static string? ScoresFile(string outputDirectory) => OutputLayout.FindRowFile(outputDirectory, "scores");

    /// <summary>
    /// A file the manifest names, looked for first beside the manifest (an output folder copied elsewhere, e.g. a CI
    /// artifact) and then where the manifest says it was written.
    /// </summary>
    private static string? Beside(string outputDirectory, string? recorded)
    {
        if (string.IsNullOrEmpty(recorded)) return null;
        var local = Path.Combine(outputDirectory, Path.GetFileName(recorded));
        return File.Exists(local) ? local : File.Exists(recorded) ? recorded : null;
    }

    internal static Option<string?> OutputFolderOption() => new("--output", "-o") { Description = "The run's output folder (default: output.directory of the config, else ./out)." };

    internal static Option<string?> ConfigOption() => new("--config", "-c") { Description = "Config file, for the output folder and text columns (default: ./nuggets.config.json when present)." };

    /// <summary>The output folder and the dataset's text columns: from the options, else the config, else ./out.</summary>
    internal static (string Folder, ColumnMapping? Mapping) ResolveOutput(string? output, string? configPath)
    {
        LoadedConfig? config = null;
        try
        {
            var file = ConfigFile.Resolve(configPath);
            if (file is not null) config = ConfigLoader.Load(file);
        }
        catch (NuggetsException) when (configPath is null)
        {
            // An unrelated or incomplete nuggets.config.json in this folder must not stop reading an output folder.
        }
        var columns = config?.Options.Dataset.Columns;
        var mapping = columns is null ? null : new ColumnMapping(columns.Instruction, columns.Input, columns.Output, columns.Messages);
        var folder = output is not null ? Path.GetFullPath(output) : config?.Options.Output.Directory ?? Path.GetFullPath("out");
        return (folder, mapping);
    }
}
