using System.Globalization;
using System.Net;
using System.Text;
using Nuggets.Core.Configuration;
using Nuggets.Core.Pipeline;

namespace Nuggets.Core.Reporting;

/// <summary>
/// Renders a <see cref="SelectionReport"/> as one self-contained HTML page: inline CSS and SVG, no scripts, fonts or
/// network. Every number shown is the manifest's or the score table's as written; the derived ones are rows selected
/// per threshold, which applies the selection rule (golden score &gt; t) to the written scores, and the Stability
/// section, a seeded bootstrap over the written per-anchor outcomes (<see cref="Stability.SelectionStability"/>).
/// </summary>
public static class HtmlReport
{
    /// <summary>How many of the best and of the worst examples the page lists.</summary>
    public const int ExamplesShown = 20;

    private const int PreviewChars = 240;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The page, deterministic for the same input.</summary>
    public static string Render(SelectionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var m = report.Manifest;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append($"<title>Nuggets selection report: {Encode(DatasetName(m))}</title><style>{Css}</style></head><body><main>");

        Header(html, report);
        Cards(html, report);
        html.Append("<div class=\"two\">");
        Histogram(html, report);
        Curve(html, report);
        html.Append("</div>");
        html.Append("<div class=\"two\">");
        Counts(html, m);
        Anchors(html, report);
        html.Append("</div>");
        Stability(html, report);
        if (report.RowsInScores > 0 && report.RowsInScores <= report.Top.Count)
        {
            // Every scored row fits in one list: top and bottom would be the same rows twice.
            Examples(html, report, "top", $"All {report.Top.Count} scored examples", "Golden score descending (ties: lower row first).", report.Top);
        }
        else
        {
            Examples(html, report, "top", $"Top {report.Top.Count} examples", "Highest golden scores (ties: lower row first).", report.Top);
            Examples(html, report, "bottom", $"Bottom {report.Bottom.Count} examples", "Lowest golden scores (ties: lower row first).", report.Bottom);
        }
        Provenance(html, report);
        html.Append($"<footer>Written by {Encode(m.Tool)} {Encode(m.ToolVersion)} from <code>manifest.json</code>")
            .Append(report.ScoresPath is { } s ? $" and <code>{Encode(Path.GetFileName(s))}</code>" : "")
            .Append(".</footer></main></body></html>\n");
        return html.ToString();
    }

    private static void Header(StringBuilder html, SelectionReport report)
    {
        var m = report.Manifest;
        html.Append("<header><h1>Nuggets selection report</h1>")
            .Append($"<p class=\"sub\"><b>{Encode(DatasetName(m))}</b> · {m.Rows.ToString("N0", Invariant)} rows · model <b>{Encode(Path.GetFileName(m.Model.Path))}</b> · ")
            .Append($"{m.Anchors.Count} anchors ({Encode(Spelling.Of(m.Anchors.Method))}, seed {m.Anchors.Seed}) · {Encode(RuleText(m.Settings))} · mode <code>{Encode(Spelling.Of(m.Mode))}</code>")
            .Append(m.Settings.Shard != "0/1" ? $" · shard {Encode(m.Settings.Shard)}" : "")
            .Append("</p></header>");
        if (report.RowsWithLowerBounds > 0)
        {
            html.Append("<p class=\"note\" id=\"pruning-note\"><b>Pruned scores are lower bounds.</b> ")
                .Append($"{report.RowsWithLowerBounds.ToString("N0", Invariant)} of {report.RowsInScores.ToString("N0", Invariant)} scored rows stopped once their ")
                .Append($"threshold decision (golden score &gt; {Fraction(m.Settings.Threshold)}) was certain, so their golden score counts wins only among the anchors ")
                .Append("scored by then. The selection itself is exact; the histogram, curve and example lists below show these lower bounds ")
                .Append("(marked ≥). Run with <code>--no-prune</code> for exact scores of every row.</p>");
        }
    }

    private static void Cards(StringBuilder html, SelectionReport report)
    {
        var c = report.Manifest.Counts;
        html.Append("<section class=\"cards\">");
        Card(html, "rows", c.Rows, "in the dataset");
        Card(html, "scored", c.Scored, c.Pruned > 0 ? $"{c.Pruned.ToString("N0", Invariant)} decided early" : "every anchor scored");
        if (report.Manifest.Mode != PipelineMode.Score)
            Card(html, "selected", c.Selected, c.Scored > 0 ? $"{(100.0 * c.Selected / c.Scored).ToString("0.#", Invariant)}% of scored" : "");
        Card(html, "skipped", c.Skipped, c.Skipped > 0 ? "see reasons below" : "none");
        Card(html, "anchors", c.Anchors, c.AnchorRowsExcluded > 0 ? $"{c.AnchorRowsExcluded} excluded as candidates" : "");
        html.Append("</section>");
    }

    private static void Card(StringBuilder html, string name, long value, string detail) =>
        html.Append($"<div class=\"card\" id=\"card-{name}\" data-value=\"{value}\"><div class=\"k\">{name}</div><div class=\"v\">{value.ToString("N0", Invariant)}</div><div class=\"d\">{Encode(detail)}</div></div>");

    private static void Histogram(StringBuilder html, SelectionReport report)
    {
        var m = report.Manifest;
        var bins = m.Histogram;
        var plot = new Plot(560, 260, 56, 16, 22, 40);
        var (axisMax, step) = Plot.CountAxis(bins.Count == 0 ? 0 : bins.Max(b => b.Count));
        var svg = new StringBuilder();
        svg.Append($"<svg id=\"histogram\" viewBox=\"0 0 {plot.Width} {plot.Height}\" role=\"img\" aria-label=\"Golden-score histogram\">");
        plot.Axes(svg, axisMax, step, "golden score", "rows");
        foreach (var bin in bins)
        {
            var x0 = plot.X(bin.From) + 1;
            var x1 = plot.X(bin.To) - 1;
            var y = plot.Y(bin.Count, axisMax);
            var cls = !IsThresholdMode(m.Settings) || m.Mode == PipelineMode.Score ? "" : BarClass(bin, m.Settings.Threshold, report.Levels);
            var range = $"[{Fraction(bin.From)}, {Fraction(bin.To)}{(bin.To >= 1 ? "]" : ")")}";
            svg.Append($"<rect class=\"bar{cls}\" data-count=\"{bin.Count}\" data-from=\"{Fraction(bin.From)}\" data-to=\"{Fraction(bin.To)}\" ")
               .Append($"x=\"{Plot.Coordinate(x0)}\" y=\"{Plot.Coordinate(y)}\" width=\"{Plot.Coordinate(Math.Max(0, x1 - x0))}\" height=\"{Plot.Coordinate(plot.InnerBottom - y)}\">")
               .Append($"<title>{range}: {bin.Count.ToString("N0", Invariant)} rows</title></rect>");
            if (bin.Count > 0)
                svg.Append($"<text class=\"count\" x=\"{Plot.Coordinate((x0 + x1) / 2)}\" y=\"{Plot.Coordinate(y - 3)}\" text-anchor=\"middle\">{bin.Count.ToString("N0", Invariant)}</text>");
        }
        ThresholdMarker(svg, plot, report);
        svg.Append("</svg>");

        var total = bins.Sum(b => b.Count);
        html.Append("<section class=\"panel\"><h2>Golden scores</h2>")
            .Append($"<p class=\"cap\">{bins.Count} bars over [0, 1] from the manifest; they hold <b id=\"histogram-total\">{total.ToString("N0", Invariant)}</b> scored rows. ")
            .Append("Golden score = share of anchors whose answer became more likely with the example as a one-shot demonstration.")
            .Append(IsThresholdMode(m.Settings) && m.Mode != PipelineMode.Score ? " Green bars are selected, light green partly." : "")
            .Append(report.RowsWithLowerBounds > 0 ? " Pruned rows are counted at their lower bound." : "")
            .Append($"</p>{svg}</section>");
    }

    /// <summary>
    /// " sel" when every row of the bar passes "> t", " part" when only some do (read from the score levels, since a
    /// bar can hold scores on both sides of t), "" when none does.
    /// </summary>
    private static string BarClass(HistogramBin bin, double t, IReadOnlyList<ScoreLevel> levels)
    {
        if (bin.From > t) return " sel";
        if (bin.To <= t) return "";
        var inBar = levels.Where(l => l.GoldenScore >= bin.From && (l.GoldenScore < bin.To || bin.To >= 1)).ToList();
        if (inBar.Count == 0) return "";
        return inBar.All(l => l.GoldenScore > t) ? " sel" : inBar.Any(l => l.GoldenScore > t) ? " part" : "";
    }

    private static void ThresholdMarker(StringBuilder svg, Plot plot, SelectionReport report)
    {
        var s = report.Manifest.Settings;
        if (IsThresholdMode(s)) plot.Marker(svg, s.Threshold, $"threshold {Fraction(s.Threshold)}", "threshold");
        else if (report.LowestSelectedScore is { } low && report.Manifest.Mode != PipelineMode.Score)
            plot.Marker(svg, low, $"lowest selected {Fraction(low)}", "threshold");
    }

    private static void Curve(StringBuilder html, SelectionReport report)
    {
        var m = report.Manifest;
        html.Append("<section class=\"panel\"><h2>Rows selected vs threshold</h2>");
        if (report.Levels.Count == 0)
        {
            html.Append("<p class=\"cap\">No score table beside the manifest (<code>scores.parquet</code>), so no curve. `run` and `score` write one.</p></section>");
            return;
        }
        var steps = SelectionCurve.Steps(report.Levels);
        var plot = new Plot(560, 260, 56, 16, 22, 40);
        var (axisMax, step) = Plot.CountAxis(report.RowsInScores);
        var svg = new StringBuilder();
        svg.Append($"<svg id=\"curve\" viewBox=\"0 0 {plot.Width} {plot.Height}\" role=\"img\" aria-label=\"Rows selected against threshold\">");
        plot.Axes(svg, axisMax, step, "threshold t (select golden score > t)", "rows selected");
        var path = new StringBuilder();
        foreach (var (st, i) in steps.Select((st, i) => (st, i)))
        {
            var y = Plot.Coordinate(plot.Y(st.Selected, axisMax));
            path.Append(i == 0 ? $"M{Plot.Coordinate(plot.X(st.From))} {y}" : $" V{y}").Append($" H{Plot.Coordinate(plot.X(st.To))}");
        }
        var lowerBound = report.RowsWithLowerBounds > 0;
        svg.Append($"<path class=\"curve{(lowerBound ? " lb" : "")}\" d=\"{path}\" fill=\"none\"/>");
        foreach (var st in steps)
            svg.Append($"<rect class=\"hit\" data-from=\"{Fraction(st.From)}\" data-to=\"{Fraction(st.To)}\" data-selected=\"{st.Selected}\" x=\"{Plot.Coordinate(plot.X(st.From))}\" y=\"{Plot.Coordinate(plot.InnerTop)}\" ")
               .Append($"width=\"{Plot.Coordinate(Math.Max(0, plot.X(st.To) - plot.X(st.From)))}\" height=\"{Plot.Coordinate(plot.InnerBottom - plot.InnerTop)}\">")
               .Append($"<title>t in [{Fraction(st.From)}, {Fraction(st.To)}): {(lowerBound ? "at least " : "")}{st.Selected.ToString("N0", Invariant)} rows</title></rect>");
        ThresholdMarker(svg, plot, report);
        if (m.Mode != PipelineMode.Score && IsThresholdMode(m.Settings))
        {
            // The run's own outcome, from the manifest: exact even where other points are lower bounds.
            var t = m.Settings.Threshold;
            svg.Append($"<circle class=\"dot\" id=\"run-point\" data-selected=\"{m.Counts.Selected}\" cx=\"{Plot.Coordinate(plot.X(t))}\" cy=\"{Plot.Coordinate(plot.Y(m.Counts.Selected, axisMax))}\" r=\"4.5\">")
                   .Append($"<title>this run: {m.Counts.Selected.ToString("N0", Invariant)} selected at t = {Fraction(t)}</title></circle>");
        }
        svg.Append("</svg>");
        html.Append("<p class=\"cap\">")
            .Append(lowerBound
                ? $"From the {report.RowsInScores.ToString("N0", Invariant)} scored rows at their written scores. <b>Lower bound</b> (dashed): pruned rows might pass higher thresholds with every anchor scored. Exact at this run's threshold (dot, from the manifest)."
                : $"From all {report.RowsInScores.ToString("N0", Invariant)} scored rows, every one scored on all {m.Anchors.Count} anchors: exact.")
            .Append($"</p>{svg}</section>");
    }

    private static void Counts(StringBuilder html, Manifest m)
    {
        var c = m.Counts;
        html.Append("<section class=\"panel\"><h2>What happened to the rows</h2><table class=\"kv\" id=\"counts\"><tbody>");
        CountRow(html, "rows", c.Rows);
        if (c.AnchorRowsExcluded > 0) CountRow(html, "anchor rows excluded from candidates", c.AnchorRowsExcluded);
        if (c.OtherShard > 0) CountRow(html, "in other shards", c.OtherShard);
        CountRow(html, "candidates", c.Candidates);
        CountRow(html, "scored", c.Scored);
        CountRow(html, "scored, decided early (pruned)", c.Pruned, indent: true);
        CountRow(html, "skipped", c.Skipped);
        foreach (var (reason, count) in c.SkippedReasons) CountRow(html, reason, count, indent: true, cls: "reason");
        if (m.Mode != PipelineMode.Score)
        {
            CountRow(html, "selected", c.Selected);
            CountRow(html, "not selected", Math.Max(0, c.Scored - c.Selected), indent: true);
        }
        CountRow(html, "pairs decoded", c.PairsDecoded);
        CountRow(html, "pairs from cache", c.PairsFromCache);
        CountRow(html, "zero-shot anchors decoded", c.ZeroShotDecoded);
        html.Append("</tbody></table></section>");
    }

    /// <summary>A row of the counts table: label and count, the exact value kept in <c>data-value</c>.</summary>
    private static void CountRow(StringBuilder html, string key, long value, bool indent = false, string? cls = null) =>
        html.Append($"<tr{(cls is null ? "" : $" class=\"{cls}\"")}><th{(indent ? " class=\"in\"" : "")}>{Encode(key)}</th><td data-value=\"{value}\">{value.ToString("N0", Invariant)}</td></tr>");

    private static void Anchors(StringBuilder html, SelectionReport report)
    {
        var m = report.Manifest;
        var rates = m.AnchorWinRates
            .Select(a => (Anchor: a, Rate: a.Scored > 0 ? (double?)a.Wins / a.Scored : null))
            .OrderByDescending(a => a.Rate ?? -1).ThenBy(a => a.Anchor.AnchorRow).ToList();
        html.Append("<section class=\"panel\"><h2>Per-anchor win rates</h2>")
            .Append("<p class=\"cap\">Share of candidates that raised each anchor's answer likelihood, among candidates scored on that anchor (from the manifest). ")
            .Append("The data helps the anchors at the top most and those at the bottom least.</p>");
        AnchorOrigin(html, m.Anchors);
        html.Append("<table class=\"grid anchors\" id=\"anchors\"><thead><tr><th>anchor row</th><th>win rate</th><th class=\"num\">wins / scored</th><th>anchor</th></tr></thead><tbody>");
        foreach (var (a, rate) in rates)
        {
            var width = rate is { } r ? (r * 100).ToString("0.#", Invariant) : "0";
            var preview = report.AnchorPreviews.TryGetValue(a.AnchorRow, out var text) ? Short(text, 140) : "";
            html.Append($"<tr data-anchor=\"{a.AnchorRow}\" data-wins=\"{a.Wins}\" data-scored=\"{a.Scored}\"><td class=\"num\">{a.AnchorRow}</td>")
                .Append($"<td class=\"rate\"><span class=\"meter\"><span style=\"width:{width}%\"></span></span> {(rate is { } v ? (v * 100).ToString("0.0", Invariant) + "%" : "—")}</td>")
                .Append($"<td class=\"num\">{a.Wins.ToString("N0", Invariant)} / {a.Scored.ToString("N0", Invariant)}</td><td class=\"text\">{Encode(preview)}</td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    // How the anchors were chosen and whether they are pinned: what a reader needs to trust that the next run scores
    // against the same anchors (README.md, "Anchors: why these defaults, and the lock file").
    private static void AnchorOrigin(StringBuilder html, ManifestAnchors anchors)
    {
        var parts = new List<string>();
        if (anchors.Clustering is { } k)
        {
            var clustered = k.Sampled
                ? $"a seeded sample of {k.Clustered.ToString("N0", Invariant)} of {k.Rows.ToString("N0", Invariant)} rows"
                : $"all {k.Clustered.ToString("N0", Invariant)} rows";
            parts.Add($"k-means over the embeddings of {clustered}{(k.Normalized ? " (L2-normalised)" : "")}, best of {k.Restarts} restarts");
        }
        if (anchors.Lock is { } pin)
        {
            var drift = pin.NewRowShare is { } share ? $"; about {(share * 100).ToString("0", Invariant)}% of today's rows are new since the pin" : "";
            parts.Add($"pinned in <code>{Encode(Path.GetFileName(pin.Path))}</code> ({Encode(Spelling.Of(pin.Status))}{Encode(drift)})");
        }
        else if (anchors.Method != AnchorMethod.File)
        {
            parts.Add("not pinned (<code>anchors.pin: false</code>): picked again on every run");
        }
        if (parts.Count > 0) html.Append($"<p class=\"cap\" id=\"anchor-origin\">{string.Join(" · ", parts)}.</p>");
    }

    private static void Examples(StringBuilder html, SelectionReport report, string id, string title, string caption, IReadOnlyList<ScoredExample> rows)
    {
        var anchors = report.Manifest.Anchors.Count;
        html.Append($"<section class=\"panel\"><h2>{Encode(title)}</h2>");
        if (rows.Count == 0)
        {
            html.Append("<p class=\"cap\">No score table beside the manifest, so no examples.</p></section>");
            return;
        }
        html.Append($"<p class=\"cap\">{Encode(caption)}</p><table class=\"grid examples\" id=\"{id}\"><thead><tr><th class=\"num\">row</th><th class=\"num\">golden score</th>")
            .Append("<th class=\"num\">wins</th><th class=\"num\" title=\"95% Wilson score interval of wins / anchors scored\">95% interval</th><th>instruction / prompt</th><th>response</th></tr></thead><tbody>");
        foreach (var r in rows)
        {
            var bound = r.AnchorsScored is { } n && n < anchors;
            html.Append($"<tr data-row=\"{r.Row}\" data-score=\"{r.GoldenScore.ToString("R", Invariant)}\"><td class=\"num\">{r.Row}</td>")
                .Append($"<td class=\"num score\">{(bound ? "≥ " : "")}{r.GoldenScore.ToString("0.000", Invariant)}</td>")
                .Append($"<td class=\"num\">{(r.Wins is { } w ? $"{w} / {r.AnchorsScored}" : "—")}{(bound ? $"<div class=\"d\">of {anchors}</div>" : "")}</td>")
                .Append(r.WilsonLow is { } lo && r.WilsonHigh is { } hi
                    ? $"<td class=\"num wilson\" data-low=\"{lo.ToString("R", Invariant)}\" data-high=\"{hi.ToString("R", Invariant)}\">{Fraction3(lo)}–{Fraction3(hi)}{(bound ? $"<div class=\"d\">of {r.AnchorsScored} scored</div>" : "")}</td>"
                    : "<td class=\"num\">—</td>")
                .Append($"<td class=\"text\">{Encode(Short(r.Prompt, PreviewChars))}</td><td class=\"text\">{Encode(Short(r.Response, PreviewChars))}</td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    // The bootstrap over anchors (Stability.SelectionStability): how much another draw of anchors would move the selection.
    private static void Stability(StringBuilder html, SelectionReport report)
    {
        html.Append("<section class=\"panel\" id=\"stability\"><h2>Stability</h2>");
        if (report.Stability is not { } e)
        {
            html.Append($"<p class=\"cap\">No stability estimate: {Encode((report.StabilityUnavailable ?? "no per-anchor outcomes").TrimEnd('.'))}.</p></section>");
            return;
        }
        string N(long n) => n.ToString("N0", Invariant);
        string P(double v) => (v * 100).ToString("0.#", Invariant) + "%";
        html.Append("<p class=\"cap\">")
            .Append($"A bootstrap over the anchors: {N(e.Resamples)} resamples, each drawing {N(e.AnchorCount)} of the {N(e.AnchorCount)} anchors with replacement (seed {e.Seed}), ")
            .Append($"rescoring every row from its per-anchor outcomes and applying the rule ({Encode(e.Rule)}). Overlap is the Jaccard index of a resample's selection with this one. ")
            .Append("The same numbers as <code>dotnet nuggets stability</code>.")
            .Append(report.Manifest.Mode == PipelineMode.Score ? " This is a <code>score</code> output: no selection was written, so this is the configured rule applied to the scores." : "")
            .Append("</p>")
            .Append($"<p id=\"stability-verdict\"><b>{Encode(e.Verdict)}</b></p>")
            .Append("<table class=\"kv\" id=\"stability-numbers\"><tbody>");
        StabilityRow(html, "jaccard", $"expected overlap, {N(e.Jaccard.Anchors)} anchors", e.Jaccard.Mean, $"{e.Jaccard.Mean.ToString("0.00", Invariant)} (5–95%: {e.Jaccard.P05.ToString("0.00", Invariant)}–{e.Jaccard.P95.ToString("0.00", Invariant)})");
        StabilityRow(html, "half-jaccard", $"expected overlap, {N(e.HalfJaccard.Anchors)} anchors", e.HalfJaccard.Mean, $"{e.HalfJaccard.Mean.ToString("0.00", Invariant)} (5–95%: {e.HalfJaccard.P05.ToString("0.00", Invariant)}–{e.HalfJaccard.P95.ToString("0.00", Invariant)})");
        StabilityRow(html, "selected", "rows selected", e.SelectedRows, $"{N(e.SelectedRows)} of {N(e.Rows)}");
        StabilityRow(html, "uncertain", $"uncertain rows (selected in {P(e.UncertainLow)}–{P(e.UncertainHigh)} of resamples)", e.UncertainRows.Count, N(e.UncertainRows.Count));
        if (e.Boundary is { } b)
            StabilityRow(html, "near-boundary", $"selected rows whose 95% Wilson interval reaches {Fraction(b)}", e.SelectedNearBoundary, N(e.SelectedNearBoundary));
        StabilityRow(html, "pruned", "pruned rows (unscored anchors counted as losses)", e.PrunedRows, N(e.PrunedRows));
        if (e.PrunedRows > 0)
            StabilityRow(html, "pruned-optimistic", $"pruned rows selected in ≥ {P(e.UncertainLow)} of resamples if unscored anchors were wins", e.PrunedSelectedOptimistically, N(e.PrunedSelectedOptimistically));
        html.Append("</tbody></table>");
        html.Append("<p class=\"cap\">")
            .Append(e.PrunedRows > 0
                ? "Pruned rows enter with their unscored anchors as losses, so their resampled scores are lower bounds, as in the run's own selection; the last line repeats each resample with those anchors as wins, to show how much the pruning can hide. "
                : "Every row was scored on every anchor. ")
            .Append("Wilson intervals are of wins / anchors scored (for a pruned row, of the scored part). The verdict's cut-offs (overlap 0.9; a gain of 0.05 from half the anchors) are conventions, not statistics.</p>");
        var uncertain = e.RowDetails.Where(r => r.Frequency >= e.UncertainLow && r.Frequency <= e.UncertainHigh)
            .OrderBy(r => Math.Abs(r.Frequency - 0.5)).ThenBy(r => r.Row).Take(ExamplesShown).ToList();
        if (uncertain.Count > 0)
        {
            html.Append($"<table class=\"grid\" id=\"uncertain\"><thead><tr><th class=\"num\">row</th><th class=\"num\">wins</th><th class=\"num\">95% interval</th><th class=\"num\">selected here</th><th class=\"num\">selected in resamples</th></tr></thead><tbody>");
            foreach (var r in uncertain)
                html.Append($"<tr data-row=\"{r.Row}\" data-frequency=\"{r.Frequency.ToString("R", Invariant)}\"><td class=\"num\">{r.Row}</td><td class=\"num\">{r.Wins} / {r.AnchorsScored}</td>")
                    .Append($"<td class=\"num\">{Fraction3(r.WilsonLow)}–{Fraction3(r.WilsonHigh)}</td><td class=\"num\">{(r.Selected ? "yes" : "no")}</td><td class=\"num\">{P(r.Frequency)}</td></tr>");
            html.Append("</tbody></table>");
            if (e.UncertainRows.Count > uncertain.Count)
                html.Append($"<p class=\"cap\">The {uncertain.Count} closest to 50% of {N(e.UncertainRows.Count)} uncertain rows; <code>dotnet nuggets stability --json</code> lists them all.</p>");
        }
        html.Append("</section>");
    }

    private static void StabilityRow(StringBuilder html, string id, string key, double value, string text) =>
        html.Append($"<tr id=\"stability-{id}\"><th>{Encode(key)}</th><td data-value=\"{value.ToString("R", Invariant)}\">{Encode(text)}</td></tr>");

    private static void Provenance(StringBuilder html, SelectionReport report)
    {
        var m = report.Manifest;
        var s = m.Settings;
        html.Append("<section class=\"panel\" id=\"provenance\"><h2>Provenance</h2><div class=\"two\"><div>");
        html.Append("<h3>Inputs</h3><table class=\"grid\"><thead><tr><th>file</th><th class=\"num\">rows</th><th>SHA-256</th></tr></thead><tbody>");
        foreach (var input in m.Inputs)
            html.Append($"<tr><td class=\"path\">{Encode(input.Path)}</td><td class=\"num\">{input.Rows.ToString("N0", Invariant)}</td><td class=\"hash\">{Encode(input.Sha256)}</td></tr>");
        html.Append("</tbody></table>");
        html.Append("<h3>Model</h3><table class=\"kv\"><tbody>");
        Text(html, "file", m.Model.Path, "path");
        Text(html, "SHA-256", m.Model.Sha256, "hash");
        Text(html, "llama.cpp build", m.Model.LlamaBuild);
        Text(html, "backend", m.Model.Backend);
        Text(html, "scorer fingerprint", m.Model.Fingerprint, "hash");
        html.Append("</tbody></table>");
        html.Append("<h3>Anchors</h3><table class=\"kv\"><tbody>");
        Text(html, "method", $"{Spelling.Of(m.Anchors.Method)}, seed {m.Anchors.Seed}, {m.Anchors.Count} anchors");
        Text(html, "hash", m.Anchors.Hash, "hash");
        if (m.Anchors.Path is { } ap) Text(html, "file", ap, "path");
        Text(html, "rows", string.Join(", ", m.Anchors.Rows.Select(r => r.ToString(Invariant))));
        html.Append("</tbody></table></div><div>");
        html.Append("<h3>Settings</h3><table class=\"kv\"><tbody>");
        Text(html, "selection", RuleText(s));
        Text(html, "pruning", PruningText(m));
        Text(html, "template", s.Template);
        Text(html, "BOS policy", Spelling.Of(s.BosPolicy));
        Text(html, "anchor max tokens", s.AnchorMaxTokens?.ToString(Invariant) ?? "none");
        Text(html, "example max tokens", s.MaxExampleTokens?.ToString(Invariant) ?? "none");
        Text(html, "context length", s.ContextLength.ToString(Invariant));
        Text(html, "anchors excluded from candidates", s.ExcludeAnchors ? "yes" : "no");
        Text(html, "shard", s.Shard);
        html.Append("</tbody></table>");
        html.Append("<h3>Run</h3><table class=\"kv\"><tbody>");
        Text(html, "tool", $"{m.Tool} {m.ToolVersion}");
        Text(html, "mode", Spelling.Of(m.Mode));
        Text(html, "config", m.ConfigPath ?? "none (defaults and command line)", "path");
        if (m.Output is { } o)
        {
            Text(html, "output", o.Path, "path");
            Text(html, "output rows", o.Rows.ToString("N0", Invariant));
            Text(html, "output SHA-256", o.Sha256, "hash");
        }
        if (report.ScoresPath is { } sp) Text(html, "score table", sp, "path");
        html.Append("</tbody></table></div></div></section>");
    }

    private static void Text(StringBuilder html, string key, string value, string? cls = null) =>
        html.Append($"<tr><th>{Encode(key)}</th><td{(cls is null ? "" : $" class=\"{cls}\"")}>{Encode(value)}</td></tr>");

    // What the run did (manifest.pruning), or the setting for a manifest written before that was recorded.
    private static string PruningText(Manifest m) => m.Pruning switch
    {
        null => m.Settings.Prune ? "on" : "off",
        { Kind: "none" } => m.Settings.Prune ? "off for this run (top-k pruning needs every row in one run)" : "off",
        var p => string.Create(Invariant, $"{(p.Kind == "top" ? "top-k" : "threshold")}, exact for the selection; anchor order: {p.AnchorOrder} ({string.Join(", ", p.Order)})")
            + (p.Pilot is { } pilot ? string.Create(Invariant, $", from {pilot.Demonstrations} anchors as demonstrations ({pilot.Pairs} pairs)") : ""),
    };

    private static bool IsThresholdMode(ManifestSettings s) => s.SelectionMode == SelectionMode.Threshold;

    private static string RuleText(ManifestSettings s) => s.SelectionMode switch
    {
        SelectionMode.Threshold => $"golden score > {Fraction(s.Threshold)}",
        SelectionMode.Top => $"top {s.Top.ToString("N0", Invariant)}",
        SelectionMode.TopPercent => $"top {s.TopPercent.ToString("0.##", Invariant)}%",
        _ => throw new ArgumentOutOfRangeException(nameof(s), s.SelectionMode, "not a selection mode"),
    };

    private static string DatasetName(Manifest m) =>
        m.Inputs.Count switch
        {
            0 => "dataset",
            1 => Path.GetFileName(m.Inputs[0].Path),
            var n => $"{Path.GetFileName(m.Inputs[0].Path)} + {n - 1} more",
        };

    /// <summary>A score, threshold or bar edge in [0, 1], to three decimals at most.</summary>
    private static string Fraction(double value) => value.ToString("0.###", Invariant);

    /// <summary>An interval end in [0, 1], to exactly three decimals.</summary>
    private static string Fraction3(double value) => value.ToString("0.000", Invariant);

    private static string Short(string text, int max)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= max ? flat : flat[..(max - 1)].TrimEnd() + "…";
    }

    /// <summary>Text made safe for HTML: every value from a manifest or a dataset goes through it.</summary>
    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private const string Css = """
        :root{--fg:#1d2430;--muted:#5d6878;--line:#e3e7ee;--bg:#f6f7f9;--panel:#fff;--accent:#2f6fdb;--sel:#1f9d6a;--mark:#d64545}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
        main{max-width:1240px;margin:0 auto;padding:24px 28px 40px}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:16px;margin:0 0 6px}h3{font-size:13px;margin:14px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
        .sub{margin:0;color:var(--muted)}.sub b{color:var(--fg)}
        code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef1f5;padding:1px 4px;border-radius:3px}
        .note{background:#fff7e6;border:1px solid #f1d39a;border-radius:8px;padding:10px 14px;margin:16px 0 0}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:18px 0}
        .card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
        .card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}.card .v{font-size:26px;font-weight:650}
        .d{color:var(--muted);font-size:12px}
        .two{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}
        .panel{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:0 0 16px;min-width:0}
        .cap{color:var(--muted);margin:0 0 10px;font-size:13px}
        svg{width:100%;height:auto;display:block;font-size:11px}
        .grid line.grid,line.grid{stroke:var(--line)}line.axis{stroke:#9aa5b4}
        .tick{fill:var(--muted)}.label{fill:var(--muted);font-size:12px}
        rect.bar{fill:#9db8e8}rect.bar.sel{fill:var(--sel)}rect.bar.part{fill:#8fd1b5}rect.bar:hover{opacity:.8}
        text.count{fill:var(--fg);font-size:10px}
        .marker{stroke:var(--mark);stroke-width:1.5;stroke-dasharray:5 3}.marker-label{fill:var(--mark);font-weight:600}
        path.curve{stroke:var(--accent);stroke-width:2.2}path.curve.lb{stroke-dasharray:6 3}
        rect.hit{fill:transparent}rect.hit:hover{fill:rgba(47,111,219,.07)}circle.dot{fill:var(--mark);stroke:#fff;stroke-width:1.5}
        table{border-collapse:collapse;width:100%}
        table.kv th{text-align:left;font-weight:500;color:var(--muted);padding:4px 12px 4px 0;white-space:nowrap;vertical-align:top;width:1%}
        table.kv td{padding:4px 0;word-break:break-all}table.kv th.in{padding-left:18px}
        #counts td{text-align:right;font-variant-numeric:tabular-nums}
        table.grid th{text-align:left;font-size:12px;color:var(--muted);font-weight:600;border-bottom:1px solid var(--line);padding:6px 10px 6px 0}
        table.grid td{border-bottom:1px solid var(--line);padding:6px 10px 6px 0;vertical-align:top}
        .num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
        .score{font-weight:650}.text{color:#303a48;max-width:440px}
        .hash,.path{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
        td.rate{white-space:nowrap;width:190px}.meter{display:inline-block;width:110px;height:9px;background:#edf0f4;border-radius:5px;vertical-align:middle;overflow:hidden;margin-right:6px}
        .meter span{display:block;height:100%;background:var(--accent)}
        footer{color:var(--muted);font-size:12px;margin-top:8px}
        """;
}
