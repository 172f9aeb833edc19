using System.Text.Json;

namespace Nuggets.Cli.Tests;

/// <summary>
/// A user's project with the default config (100 k-means anchors over the real model's embeddings, threshold 0.85):
/// the anchors are pinned in nuggets.anchors.lock.json, and growing the dataset in steps scores only the new rows' pairs.
/// </summary>
public sealed class AnchorLockEndToEndTests
{
    [Test]
    public void A_dataset_grown_in_steps_with_the_default_config_scores_only_the_new_rows_pairs()
    {
        var w = new Workspace();
        File.WriteAllText(w.Path("nuggets.config.json"), $$"""
            { "dataset": { "path": "data.jsonl" }, "model": { "path": {{JsonSerializer.Serialize(TestPaths.StoriesModel)}} }, "output": { "format": "jsonl" } }
            """);
        var lockPath = w.Path("nuggets.anchors.lock.json");
        var rows = Workspace.Short(0, 109).ToList();
        File.WriteAllLines(w.Path("data.jsonl"), rows.Take(104));

        var first = CliRunner.Run(w.Root, "run", "--quiet", "--no-report");
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        var firstManifest = Workspace.Manifest(w.Path("out"));
        var anchors = firstManifest.GetProperty("anchors");
        Assert.That(anchors.GetProperty("method").GetString(), Is.EqualTo("kmeans"), "the default method");
        Assert.That(anchors.GetProperty("count").GetInt32(), Is.EqualTo(100), "the default count");
        Assert.That(anchors.GetProperty("lock").GetProperty("status").GetString(), Is.EqualTo("created"));
        Assert.That(anchors.GetProperty("clustering").GetProperty("clustered").GetInt32(), Is.EqualTo(104), "every row was clustered");
        Assert.That(firstManifest.GetProperty("settings").GetProperty("threshold").GetDouble(), Is.EqualTo(0.85), "the default threshold");
        var pinned = File.ReadAllText(lockPath);

        var added = 104;
        foreach (var step in new[] { 2, 3 })
        {
            File.AppendAllLines(w.Path("data.jsonl"), rows.Skip(added).Take(step));
            var run = CliRunner.Run(w.Root, "run", "--quiet", "--no-report");
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            var manifest = Workspace.Manifest(w.Path("out"));
            var counts = manifest.GetProperty("counts");
            var newRows = Workspace.ReadJsonLines(w.Path("out/scores.jsonl")).Where(r => r.GetProperty("row").GetInt64() >= added).ToList();

            Assert.That(manifest.GetProperty("anchors").GetProperty("lock").GetProperty("status").GetString(), Is.EqualTo("reused"));
            Assert.That(manifest.GetProperty("anchors").GetProperty("hash").GetString(), Is.EqualTo(anchors.GetProperty("hash").GetString()));
            Assert.That(newRows, Has.Count.EqualTo(step), "the new rows are candidates, not anchors");
            Assert.That(counts.GetProperty("pairsDecoded").GetInt64(), Is.EqualTo(newRows.Sum(r => r.GetProperty("anchors_scored").GetInt64())),
                "every pair decoded belongs to a new row");
            Assert.That(counts.GetProperty("zeroShotDecoded").GetInt64(), Is.Zero);
            Assert.That(File.ReadAllText(lockPath), Is.EqualTo(pinned), "a reused lock is not rewritten");
            added += step;
        }

        var refresh = CliRunner.Run(w.Root, "anchors", "--refresh");
        Assert.That(refresh.ExitCode, Is.Zero, refresh.ToString());
        Assert.That(refresh.StdOut, Does.Contain("refreshed nuggets.anchors.lock.json"));
    }
}
