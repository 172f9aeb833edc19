using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Nuggets.Cli.Composition;
using Nuggets.Core;
using Nuggets.Core.Output;
using Nuggets.Core.Reporting;
using Nuggets.DuckDb.Reports;
using Spectre.Console;

namespace Nuggets.Cli.Commands;

/// <summary><c>dotnet nuggets inspect</c>: scored examples in a terminal table, or as JSON.</summary>
internal static class InspectCommand
{
    private const int DefaultCount = 10;

    public static Command Create()
    {
        var output = ReportCommand.OutputFolderOption();
        var config = ReportCommand.ConfigOption();
        var scores = new Option<string?>("--scores") { Description = "The score table or selection to read (default: scores.parquet in the output folder, else the selection)." };
        var top = new Option<int?>("--top") { Description = $"The N highest golden scores (default: --top {DefaultCount})." };
        var bottom = new Option<int?>("--bottom") { Description = "The N lowest golden scores." };
        var row = new Option<long?>("--row") { Description = "The example at dataset row R." };
        var json = new Option<bool>("--json") { Description = "Print JSON (an array of examples) instead of a table." };
        var width = new Option<int?>("--preview") { Description = "Characters of instruction and response shown in the table (default 60)." };
        var command = new Command("inspect", "Show examples with their golden scores, wins and a short preview.") { output, config, scores, top, bottom, row, json, width };
        command.SetAction(parsed =>
        {
            var chosen = new object?[] { parsed.GetValue(top), parsed.GetValue(bottom), parsed.GetValue(row) }.Count(v => v is not null);
            if (chosen > 1) throw new NuggetsException("Use one of --top, --bottom and --row.", ExitCodes.Usage);
            if (parsed.GetValue(top) is < 0 || parsed.GetValue(bottom) is < 0) throw new NuggetsException("--top and --bottom take a count of at least 0.", ExitCodes.Usage);
            var preview = parsed.GetValue(width) ?? 60;
            if (preview < 8) throw new NuggetsException("--preview must be at least 8.", ExitCodes.Usage);

            var (folder, mapping) = ReportCommand.ResolveOutput(parsed.GetValue(output), parsed.GetValue(config));
            var path = parsed.GetValue(scores) is { } given ? Path.GetFullPath(given) : TableIn(folder);
            using var reader = ScoreTableReader.Open(path, mapping);
            IReadOnlyList<ScoredExample> rows;
            string title;
            if (parsed.GetValue(row) is { } r)
            {
                rows = reader.Find(r) is { } found ? [ScoreTableRows.ToExample(found)] : throw new NuggetsException($"Row {r} is not in {path} (not scored, skipped, or not selected).", ExitCodes.Usage);
                title = $"row {r}";
            }
            else if (parsed.GetValue(bottom) is { } b)
            {
                rows = ScoreTableRows.ToExamples(reader.Bottom(b));
                title = $"bottom {rows.Count}";
            }
            else
            {
                rows = ScoreTableRows.ToExamples(reader.Top(parsed.GetValue(top) ?? DefaultCount));
                title = $"top {rows.Count}";
            }

            if (parsed.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
            else Print(rows, reader, path, title, preview);
            return ExitCodes.Success;
        });
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static string TableIn(string folder)
    {
        if (ReportCommand.ScoresFile(folder) is { } scores) return scores;
        var selected = OutputLayout.FindRowFile(folder, "selected");
        return selected ?? throw new NuggetsException($"No scores.parquet or selected.parquet in {folder}; run `dotnet nuggets run` first, or pass --output or --scores.", ExitCodes.DatasetNotFound);
    }

    private static void Print(IReadOnlyList<ScoredExample> rows, ScoreTableReader reader, string path, string title, int preview)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{Markup.Escape(Path.GetFileName(path))}: {Markup.Escape(title)}")
            .AddColumn(new TableColumn("row").RightAligned())
            .AddColumn(new TableColumn("golden score").RightAligned());
        if (reader.HasWinCounts) table.AddColumn(new TableColumn("wins").RightAligned());
        if (reader.HasWilson) table.AddColumn(new TableColumn("95% interval").RightAligned());
        table.AddColumn("instruction").AddColumn("response");
        foreach (var r in rows)
        {
            var cells = new List<string>
            {
                r.Row.ToString(CultureInfo.InvariantCulture),
                r.GoldenScore.ToString("0.000", CultureInfo.InvariantCulture),
            };
            // A row scored on fewer anchors than the others was decided early: its score is a lower bound.
            if (reader.HasWinCounts) cells.Add($"{r.Wins}/{r.AnchorsScored}");
            if (reader.HasWilson)
                cells.Add(r.WilsonLow is { } low && r.WilsonHigh is { } high
                    ? $"{low.ToString("0.000", CultureInfo.InvariantCulture)}-{high.ToString("0.000", CultureInfo.InvariantCulture)}"
                    : "");
            cells.Add(Markup.Escape(Short(r.Prompt, preview)));
            cells.Add(Markup.Escape(Short(r.Response, preview)));
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
        if (reader.HasWinCounts)
            AnsiConsole.MarkupLine("[grey]wins = anchors won / anchors scored; fewer anchors scored than the run's total means pruned (score is a lower bound).[/]");
        if (reader.HasWilson)
            AnsiConsole.MarkupLine("[grey]95% interval = Wilson score interval of wins / anchors scored (for a pruned row, of the scored part).[/]");
    }

    private static string Short(string text, int max)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= max ? flat : flat[..(max - 1)] + "…";
    }
}
