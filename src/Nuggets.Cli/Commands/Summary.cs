using Nuggets.Core.Configuration;
using Nuggets.Core.Pipeline;
using Spectre.Console;

namespace Nuggets.Cli.Commands;

/// <summary>The table printed after a run.</summary>
internal static class Summary
{
    public static void Print(PipelineResult result, PipelineMode mode)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("").RightAligned());
        var pinned = result.AnchorLock is { } anchorLock ? $"; {Spelling.Of(anchorLock.Status)} {Path.GetFileName(anchorLock.Path)}" : "";
        table.AddRow("anchors", Markup.Escape($"{result.Anchors.Examples.Count} ({Spelling.Of(result.Anchors.Method)}, seed {result.Anchors.Seed}{pinned})"));
        foreach (var stage in result.Manifest?.Stages ?? [])
        {
            var dropped = stage.Dropped.Count == 0 ? "" : $"; dropped {string.Join(", ", stage.Dropped.Select(d => $"{d.Value:N0} {d.Key}"))}";
            var work = stage.Generated + stage.GenerationsFromCache > 0
                ? $"; generated {stage.Generated:N0}, cached {stage.GenerationsFromCache:N0}"
                : stage.Embedded + stage.EmbeddingsFromCache > 0 ? $"; embedded {stage.Embedded:N0}, cached {stage.EmbeddingsFromCache:N0}" : "";
            table.AddRow($"stage {stage.Index + 1}: {Markup.Escape(stage.Type)}", Markup.Escape($"{stage.RowsIn:N0} → {stage.RowsOut:N0} rows{dropped}{work}"));
        }
        if (result.Manifest is { } manifest)
        {
            var c = manifest.Counts;
            table.AddRow("rows", $"{c.Rows:N0}");
            table.AddRow("candidates scored", $"{c.Scored:N0}");
            if (c.Pruned > 0) table.AddRow("  decided early (pruned)", $"{c.Pruned:N0}");
            if (c.Skipped > 0) table.AddRow("  skipped", Markup.Escape(string.Join(", ", c.SkippedReasons.Select(r => $"{r.Value:N0} {r.Key}"))));
            if (c.OtherShard > 0) table.AddRow("  in other shards", $"{c.OtherShard:N0}");
            if (mode != PipelineMode.Score) table.AddRow("selected", $"{c.Selected:N0}");
            table.AddRow("pairs decoded", $"{c.PairsDecoded:N0}");
            table.AddRow("pairs from cache", $"{c.PairsFromCache:N0}");
            table.AddRow("model sha256", manifest.Model.Sha256Source == "reused" ? "reused (file unchanged since hashed)" : "computed");
        }
        if (result.OutputPath is not null) table.AddRow("output", Markup.Escape(result.OutputPath));
        if (result.ManifestPath is not null) table.AddRow("manifest", Markup.Escape(result.ManifestPath));
        AnsiConsole.Write(table);
        // A line of its own, not a table cell: the reason is long, and a log reader looks for it when a run was slow.
        if (result.Threads is { } threads) Console.WriteLine($"compute: {threads.Describe(result.ThreadRange)}");
    }
}
