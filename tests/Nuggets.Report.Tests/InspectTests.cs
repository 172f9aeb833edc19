using System.Globalization;
using System.Text.Json;

namespace Nuggets.Report.Tests;

/// <summary>`inspect` against scores.parquet of the small run, read here with plain SQL.</summary>
[TestFixture]
public sealed class InspectTests
{
    private static List<JsonElement> Json(params string[] args)
    {
        var result = SmallRun.Tool(SmallRun.Root, ["inspect", "--output", "out", "--json", .. args]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray().ToList();
    }

    private static object Key(JsonElement e) =>
        (e.GetProperty("row").GetInt64(), e.GetProperty("goldenScore").GetDouble(), e.GetProperty("wins").GetInt32(), e.GetProperty("anchorsScored").GetInt32());

    private static object Key(ScoreRow s) => (s.Row, s.GoldenScore, s.Wins, s.AnchorsScored);

    [Test]
    public void Json_top_bottom_and_row_match_the_scores_file()
    {
        var scores = SmallRun.Scores();
        Assert.That(scores, Has.Count.GreaterThan(5));

        var top = Json("--top", "5");
        Assert.That(top.Select(Key), Is.EqualTo(scores.OrderByDescending(s => s.GoldenScore).ThenBy(s => s.Row).Take(5).Select(Key)));
        var bottom = Json("--bottom", "3");
        Assert.That(bottom.Select(Key), Is.EqualTo(scores.OrderBy(s => s.GoldenScore).ThenBy(s => s.Row).Take(3).Select(Key)));

        var some = scores[scores.Count / 2];
        var one = Json("--row", some.Row.ToString(CultureInfo.InvariantCulture)).Single();
        Assert.That(Key(one), Is.EqualTo(Key(some)));
        Assert.That(one.GetProperty("prompt").GetString(), Does.StartWith(some.Instruction.Length > 50 ? some.Instruction[..50] : some.Instruction));
        Assert.That(one.GetProperty("contentHash").GetString(), Has.Length.EqualTo(64));
    }

    [Test]
    public void Table_shows_each_row_with_its_score_and_wins()
    {
        var scores = SmallRun.Scores();
        var result = SmallRun.Tool(SmallRun.Root, "inspect", "--output", "out", "--top", "100");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.StdOut.Split('\n');
        foreach (var s in scores)
        {
            // The first line of a row's cell block starts with its row number and carries score and wins.
            var cells = $"│ {s.Row,3} │";
            var line = lines.SingleOrDefault(l => l.StartsWith(cells, StringComparison.Ordinal));
            Assert.That(line, Is.Not.Null, $"row {s.Row} in:\n{result.StdOut}");
            Assert.That(line, Does.Contain(s.GoldenScore.ToString("0.000", CultureInfo.InvariantCulture)));
            Assert.That(line, Does.Contain($"{s.Wins}/{s.AnchorsScored}"));
            Assert.That(line, Does.Contain(s.Instruction.Split(' ')[0]));
        }
    }

    [Test]
    public void Bad_requests_are_usage_errors()
    {
        var both = SmallRun.Tool(SmallRun.Root, "inspect", "--output", "out", "--top", "3", "--row", "1");
        Assert.That(both.ExitCode, Is.EqualTo(2), both.ToString());
        var absent = SmallRun.Tool(SmallRun.Root, "inspect", "--output", "out", "--row", "99999");
        Assert.That(absent.ExitCode, Is.EqualTo(2), absent.ToString());
        Assert.That(absent.StdErr, Does.Contain("99999"));
    }
}
