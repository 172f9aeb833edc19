using System.Text.Json;

namespace Nuggets.Cli.Tests;

/// <summary>
/// When LIFT stages run, anchors are tasks of the dataset being selected (the Nuggets paper's), not generated rows,
/// unless <c>anchors.from</c> is <c>stages</c>; expansion on the real stories model makes the generated rows.
/// </summary>
public sealed class AnchorSourceEndToEndTests
{
    private const int Rows = 8;

    private static (string Instruction, string Output) Key(JsonElement row) =>
        (row.GetProperty("instruction").GetString()!, row.GetProperty("output").GetString()!);

    [Test]
    public void Anchors_come_from_the_original_rows_by_default_and_from_the_stage_output_when_asked()
    {
        var w = new Workspace();
        w.WriteShortAlpaca("data.jsonl", 0, Rows);
        File.WriteAllText(w.Path("nuggets.config.json"), $$"""
            {
              "dataset": { "path": "data.jsonl" },
              "model": { "path": {{JsonSerializer.Serialize(TestPaths.StoriesModel)}}, "batchSize": 256 },
              "anchors": { "method": "random", "count": 12 },
              "selection": { "mode": "top", "top": 2 },
              "output": { "format": "jsonl" },
              "stages": [ { "type": "expand", "rounds": 1, "maxTokens": 12, "keepTruncated": true } ]
            }
            """);
        var originals = Workspace.ReadJsonLines(w.Path("data.jsonl")).Select(Key).ToHashSet();

        var fromDataset = CliRunner.Run(w.Root, "run", "--quiet", "--no-report");
        Assert.That(fromDataset.ExitCode, Is.Zero, fromDataset.ToString());
        var anchors = Workspace.ReadJsonLines(w.Path("out/anchors.jsonl")).Select(Key).ToList();
        // Only 8 original rows exist, so 12 asked gives all 8 of them and none of the 8 generated ones.
        Assert.That(anchors, Has.Count.EqualTo(Rows));
        Assert.That(anchors, Is.SubsetOf(originals));
        Assert.That(Workspace.Manifest(w.Path("out")).GetProperty("anchors").GetProperty("from").GetString(), Is.EqualTo("dataset"));
        Assert.That(Workspace.ReadJsonLines(w.Path("out/scores.jsonl")).Select(Key), Has.None.Matches<(string, string)>(originals.Contains),
            "the original rows are anchors, so the candidates are the generated rows");

        var fromStages = CliRunner.Run(w.Root, "run", "--quiet", "--no-report", "--set", "anchors.from=stages");
        Assert.That(fromStages.ExitCode, Is.Zero, fromStages.ToString());
        var stageAnchors = Workspace.ReadJsonLines(w.Path("out/anchors.jsonl")).Select(Key).ToList();
        Assert.That(stageAnchors, Has.Count.EqualTo(12));
        Assert.That(stageAnchors.Count(a => !originals.Contains(a)), Is.GreaterThanOrEqualTo(4), "12 of 16 rows cannot all be among the 8 originals");
        Assert.That(fromStages.StdErr, Does.Contain("warning: ").And.Contain("but this run asks for random:12, seed 42, from stages"),
            "the lock pinned anchors from the dataset; this run's own pick is unpinned and says so");
    }
}
