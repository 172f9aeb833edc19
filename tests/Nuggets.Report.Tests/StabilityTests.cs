using System.Text.Json;
using Nuggets.DuckDb.Sql;

namespace Nuggets.Report.Tests;

/// <summary>
/// The small real run's per-anchor outcomes, Wilson intervals and <c>dotnet nuggets stability</c>: the pipeline's
/// outcomes agree with its win counts, and the rule applied to them on the original anchors selects exactly the rows
/// of selected.parquet.
/// </summary>
public sealed class StabilityTests
{
    private static List<(long Row, int Wins, int AnchorsScored, string Outcomes, double Low, double High)> Outcomes()
    {
        using var session = DuckDbSession.Open(null);
        using var result = session.Query(
            $"SELECT row, wins, anchors_scored, outcomes, wilson_low, wilson_high FROM read_parquet({SqlText.Literal(SmallRun.OutFile("scores.parquet"))}) ORDER BY row");
        var rows = new List<(long, int, int, string, double, double)>();
        while (result.Next() is { } chunk)
        {
            using (chunk)
            {
                for (var i = 0; i < chunk.Size; i++)
                    rows.Add((chunk.Vector(0).GetInt64(i), chunk.Vector(1).GetInt32(i), chunk.Vector(2).GetInt32(i), chunk.Vector(3).GetString(i),
                        chunk.Vector(4).GetDouble(i), chunk.Vector(5).GetDouble(i)));
            }
        }
        return rows;
    }

    private static List<long> SelectedRows(string? path = null)
    {
        using var session = DuckDbSession.Open(null);
        using var result = session.Query($"SELECT row FROM read_parquet({SqlText.Literal(path ?? SmallRun.OutFile("selected.parquet"))}) ORDER BY row");
        var rows = new List<long>();
        while (result.Next() is { } chunk)
        {
            using (chunk)
            {
                for (var i = 0; i < chunk.Size; i++) rows.Add(chunk.Vector(0).GetInt64(i));
            }
        }
        return rows;
    }

    [Test]
    public void Outcomes_and_intervals_agree_with_the_win_counts()
    {
        var rows = Outcomes();
        Assert.That(rows, Is.Not.Empty);
        foreach (var r in rows)
        {
            Assert.That(r.Outcomes, Has.Length.EqualTo(SmallRun.Anchors), $"row {r.Row}");
            Assert.That(r.Outcomes.Count(c => c == '1'), Is.EqualTo(r.Wins), $"row {r.Row}: {r.Outcomes}");
            Assert.That(r.Outcomes.Count(c => c != '-'), Is.EqualTo(r.AnchorsScored), $"row {r.Row}: {r.Outcomes}");
            Assert.That((r.Low, r.High), Is.EqualTo(Nuggets.Core.Stability.WilsonInterval.Of(r.Wins, r.AnchorsScored)), $"row {r.Row}");
        }
    }

    [Test]
    public void Stability_starts_from_the_runs_own_selection()
    {
        var result = SmallRun.Tool(SmallRun.Root, "stability", "--output", "out", "--resamples", "200", "--json");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var json = JsonDocument.Parse(result.StdOut).RootElement;
        var counts = SmallRun.Manifest().GetProperty("counts");
        Assert.That(json.GetProperty("rows").GetInt64(), Is.EqualTo(counts.GetProperty("scored").GetInt64()));
        Assert.That(json.GetProperty("selected").GetInt64(), Is.EqualTo(counts.GetProperty("selected").GetInt64()));
        var selected = json.GetProperty("rowDetails").EnumerateArray().Where(e => e.GetProperty("selected").GetBoolean()).Select(e => e.GetProperty("row").GetInt64());
        Assert.That(selected, Is.EqualTo(SelectedRows()), "the rule on the original outcomes (unscored as losses) selects selected.parquet's rows");
        Assert.That(json.GetProperty("prunedRows").GetInt64(), Is.EqualTo(counts.GetProperty("pruned").GetInt64()));

        var summary = SmallRun.Tool(SmallRun.Root, "stability", "--output", "out", "--resamples", "200");
        Assert.That(summary.ExitCode, Is.Zero, summary.ToString());
        Assert.That(summary.StdOut, Does.Contain("verdict: " + json.GetProperty("verdict").GetString()));
        Assert.That(File.ReadAllText(SmallRun.OutFile("report.html")), Does.Contain("id=\"stability-verdict\""), "the report written by run has the section");
    }

    [TestCase("--top", "3")]
    [TestCase("--top-percent", "40")]
    public void Stability_starts_from_the_runs_own_selection_in_the_top_modes_too(string option, string value)
    {
        // The same rows and cache as the small run, ranked: top-mode pruning leaves rows it is certain not to select.
        var output = $"out-{option.TrimStart('-')}-{value}";
        var run = SmallRun.Tool(SmallRun.Root, "run", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), "--dataset", "small.jsonl",
            "--anchors", $"random:{SmallRun.Anchors}", option, value, "--output", output, "--cache", "cache.duckdb", "--quiet", "--no-report");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var result = SmallRun.Tool(SmallRun.Root, "stability", "--output", output, "--resamples", "100", "--json");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var json = JsonDocument.Parse(result.StdOut).RootElement;
        var selected = json.GetProperty("rowDetails").EnumerateArray().Where(e => e.GetProperty("selected").GetBoolean()).Select(e => e.GetProperty("row").GetInt64());
        Assert.That(selected, Is.EqualTo(SelectedRows(Path.Combine(SmallRun.Root, output, "selected.parquet"))));
    }
}
