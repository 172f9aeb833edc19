using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Nuggets.Core;
using Nuggets.Core.Output;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Stability;
using Nuggets.DuckDb.Reports;

namespace Nuggets.Cli.Commands;

/// <summary>
/// <c>dotnet nuggets stability</c>: how stable a run's selection is under another draw of anchors, from its
/// manifest.json (the selection rule, M) and score table (each row's per-anchor <c>outcomes</c>) alone — no model,
/// no cache, no decoding (<see cref="SelectionStability"/>).
/// </summary>
internal static class StabilityCommand
{
    /// <summary>Rows listed by name in the human summary (all of them are in --json).</summary>
    private const int RowsListed = 10;

    public static Command Create()
    {
        var output = ReportCommand.OutputFolderOption();
        var config = ReportCommand.ConfigOption();
        var resamples = new Option<int?>("--resamples") { Description = $"Bootstrap resamples B (default {SelectionStability.DefaultResamples})." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the anchor draws (default 0): the same seed gives the same numbers on any machine." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a summary." };
        var command = new Command("stability", "How stable is the selection? A bootstrap over the anchors from the output folder's manifest.json and scores.parquet (no model work).")
            { output, config, resamples, seed, json };
        command.SetAction(parsed =>
        {
            var b = parsed.GetValue(resamples) ?? SelectionStability.DefaultResamples;
            if (b < 1) throw new NuggetsException("--resamples takes a count of at least 1.", ExitCodes.Usage);
            var (folder, _) = ReportCommand.ResolveOutput(parsed.GetValue(output), parsed.GetValue(config));
            var manifest = ReadManifest(folder);
            var scoresPath = ReportCommand.ScoresFile(folder)
                ?? throw new NuggetsException($"{Path.Combine(folder, "scores.parquet")} does not exist (nor scores.jsonl); `run`, `select` and `score` write it.", ExitCodes.DatasetNotFound);
            var estimate = Estimate(manifest, scoresPath, b, parsed.GetValue(seed) ?? 0);
            if (parsed.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(ToJson(estimate, scoresPath), JsonOptions));
            else Print(estimate, scoresPath, manifest.Mode);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>manifest.json of <paramref name="folder"/>.</summary>
    /// <exception cref="NuggetsException">It does not exist (<see cref="ExitCodes.DatasetNotFound"/>).</exception>
    internal static Manifest ReadManifest(string folder)
    {
        var manifestPath = Path.Combine(folder, OutputLayout.ManifestFileName);
        if (!File.Exists(manifestPath))
            throw new NuggetsException($"{manifestPath} does not exist; run `dotnet nuggets run` (or score/select) first, or pass --output.", ExitCodes.DatasetNotFound);
        return ManifestWriter.Read(manifestPath);
    }

    /// <summary>
    /// The stability of the selection that <paramref name="manifest"/>'s settings make on the score table at
    /// <paramref name="scoresPath"/>: its rule (mode, threshold, top, topPercent) and M (anchors count).
    /// </summary>
    /// <exception cref="NuggetsException">The table cannot be read, has no <c>outcomes</c> column or NULL outcomes
    /// (<see cref="ExitCodes.MissingColumn"/>), or outcomes that do not fit the manifest's anchors
    /// (<see cref="ExitCodes.CorruptDataset"/>); each message names the file.</exception>
    internal static StabilityEstimate Estimate(Manifest manifest, string scoresPath, int resamples = SelectionStability.DefaultResamples, ulong seed = 0)
    {
        using var scores = ScoreTableReader.Open(scoresPath);
        var rows = scores.Outcomes();
        var missing = rows.Count(r => r.Outcomes is null);
        if (missing > 0)
            throw new NuggetsException(string.Create(CultureInfo.InvariantCulture, $"{scoresPath} has no outcomes for {missing:N0} of {rows.Count:N0} rows (written before the pipeline recorded them); run `dotnet nuggets run` or `select` again."), ExitCodes.MissingColumn);
        var m = manifest.Anchors.Count;
        foreach (var row in rows)
        {
            var o = row.Outcomes!;
            if (o.Length != m || o.Any(c => c is not ('0' or '1' or '-')) || o.Count(c => c == '1') != row.Wins || o.Count(c => c != '-') != row.AnchorsScored)
                throw new NuggetsException($"{scoresPath}: row {row.Row}'s outcomes '{Short(o)}' do not fit {m} anchors with {row.Wins} wins of {row.AnchorsScored} scored; is it the score table of this manifest?", ExitCodes.CorruptDataset);
        }
        var s = manifest.Settings;
        var rule = new WinCountRule(s.SelectionMode, s.Threshold, s.Top, s.TopPercent);
        return SelectionStability.Estimate(rows.Select(r => new OutcomeRow(r.Row, r.Outcomes!)).ToArray(), m, rule, resamples, seed);
    }

    private static string Short(string text) => text.Length <= 40 ? text : text[..39] + "…";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>
    /// The JSON document: every number of the estimate, the uncertain rows with their frequencies, and every row that
    /// is selected or was selected in some resample (under either fill); rows never selected are left out.
    /// </summary>
    private static object ToJson(StabilityEstimate e, string scoresPath) => new
    {
        scores = scoresPath,
        mode = Core.Configuration.Spelling.Of(e.Mode),
        rule = e.Rule,
        anchors = e.AnchorCount,
        resamples = e.Resamples,
        seed = e.Seed,
        rows = e.Rows,
        selected = e.SelectedRows,
        jaccard = e.Jaccard,
        halfJaccard = e.HalfJaccard,
        uncertainBand = new[] { e.UncertainLow, e.UncertainHigh },
        uncertainRows = e.UncertainRows,
        boundary = e.Boundary,
        selectedNearBoundary = e.SelectedNearBoundary,
        prunedRows = e.PrunedRows,
        prunedSelectedOptimistically = e.PrunedSelectedOptimistically,
        prunedRowsEnter = "as losses (a lower bound); optimisticFrequency: the same resamples with unscored anchors as wins",
        verdict = e.Verdict,
        rowDetails = e.RowDetails.Where(r => r.Selected || r.Frequency > 0 || r.OptimisticFrequency > 0).Select(r => new
        {
            row = r.Row, wins = r.Wins, anchorsScored = r.AnchorsScored, selected = r.Selected, frequency = r.Frequency,
            optimisticFrequency = r.OptimisticFrequency, wilsonLow = r.WilsonLow, wilsonHigh = r.WilsonHigh,
        }),
    };

    private static void Print(StabilityEstimate e, string scoresPath, PipelineMode mode)
    {
        var c = CultureInfo.InvariantCulture;
        string N(long n) => n.ToString("N0", c);
        string F(double v) => v.ToString("0.00", c);
        string P(double v) => (v * 100).ToString("0.#", c) + "%";
        Console.WriteLine($"Stability of the selection ({e.Rule}) from {scoresPath}");
        if (mode == PipelineMode.Score)
            Console.WriteLine("  (a `score` output: no selection was written; this is the configured rule applied to the scores)");
        Console.WriteLine($"  {N(e.Resamples)} bootstrap resamples of the {N(e.AnchorCount)} anchors (drawn with replacement, seed {e.Seed})");
        Console.WriteLine($"  selected:                 {N(e.SelectedRows)} of {N(e.Rows)} scored rows");
        Console.WriteLine($"  expected overlap (Jaccard) with {N(e.Jaccard.Anchors)} anchors: {F(e.Jaccard.Mean)} (5-95%: {F(e.Jaccard.P05)}-{F(e.Jaccard.P95)})");
        Console.WriteLine($"  expected overlap (Jaccard) with {N(e.HalfJaccard.Anchors)} anchors: {F(e.HalfJaccard.Mean)} (5-95%: {F(e.HalfJaccard.P05)}-{F(e.HalfJaccard.P95)})");
        var uncertain = e.RowDetails.Where(r => e.UncertainRows.Contains(r.Row)).OrderBy(r => Math.Abs(r.Frequency - 0.5)).ThenBy(r => r.Row).Take(RowsListed)
            .Select(r => $"{r.Row} ({P(r.Frequency)})");
        Console.WriteLine($"  uncertain rows (selected in {P(e.UncertainLow)}-{P(e.UncertainHigh)} of resamples): {N(e.UncertainRows.Count)}" +
                          (e.UncertainRows.Count > 0 ? $": {string.Join(", ", uncertain)}{(e.UncertainRows.Count > RowsListed ? ", …" : "")}" : ""));
        if (e.Boundary is { } boundary)
            Console.WriteLine($"  selected rows whose 95% Wilson interval reaches the boundary {boundary.ToString("0.###", c)}: {N(e.SelectedNearBoundary)}");
        Console.WriteLine(e.PrunedRows > 0
            ? $"  pruned rows: {N(e.PrunedRows)}, entered with their unscored anchors as losses; {N(e.PrunedSelectedOptimistically)} of them would be selected in at least {P(e.UncertainLow)} of resamples if those anchors were wins"
            : "  pruned rows: none (every row scored on every anchor)");
        Console.WriteLine($"verdict: {e.Verdict}");
    }
}
