using System.Text.Json;
using System.Text.Json.Nodes;
using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.DuckDb;
using Nuggets.Testing.Gguf;

namespace Nuggets.Cli.Tests;

/// <summary>
/// The LIFT stages in the real tool: expand and dedupe/diversity on the stories model, judge on a random-weight model
/// (the stories model never writes a digit, so it cannot give a score), over a small Alpaca subset with planted duplicates.
/// The stories model proves the plumbing, not the quality.
/// </summary>
public sealed class LiftStagesEndToEndTests
{
    private const int Rows = 8;

    /// <summary>Rows 0..7 of Alpaca, an exact copy of row 2, and row 5 with whitespace added (same text once trimmed).</summary>
    private static IEnumerable<string> Dataset(int rows = Rows)
    {
        var lines = Workspace.Lines(0, rows).ToList();
        var near = JsonNode.Parse(lines[5])!.AsObject();
        near["output"] = "  " + near["output"]!.GetValue<string>() + "\n";
        return [.. lines, lines[2], near.ToJsonString()];
    }

    private static readonly Lazy<string> JudgeModel = new(() =>
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("lift-models"), "judge.gguf");
        RandomLlamaModel.Write(path, new RandomLlamaSpec
        {
            VocabularySize = 600, EmbeddingSize = 64, Layers = 2, FeedForwardSize = 128, Heads = 4, KvHeads = 2,
            ContextLength = 1024, Seed = 7, ChatTemplate = RandomLlamaModel.ChatMlTemplate,
        });
        return path;
    });

    private static string WriteConfig(Workspace w, string name = "nuggets.config.json", string? stages = null)
    {
        stages ??= $$"""
            [
              { "type": "expand", "rounds": 1, "maxTokens": 12, "keepTruncated": true },
              { "type": "dedupe", "threshold": 0.999 },
              { "type": "diversity", "keepFraction": 0.5 },
              { "type": "judge", "model": {{JsonSerializer.Serialize(JudgeModel.Value)}}, "temperature": 1.5, "topK": 0, "topP": 1, "maxTokens": 48, "top": 3,
                "prompt": "Score 0-100: {instruction}" }
            ]
            """;
        File.WriteAllText(w.Path(name), $$"""
            {
              "dataset": { "path": "data.jsonl" },
              "model": { "path": {{JsonSerializer.Serialize(TestPaths.StoriesModel)}}, "batchSize": 256, "threads": 1 },
              "anchors": { "method": "random", "count": 2 },
              "selection": { "mode": "top", "top": 2 },
              "stages": {{stages}}
            }
            """);
        return w.Path(name);
    }

    private static CliResult Run(Workspace w, string config, params string[] args) =>
        CliRunner.Run(w.Root, ["run", "--config", config, "--quiet", "--no-report", .. args]);

    private static void AssertOk(CliResult result) => Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());

    private static JsonElement[] Stages(string outputDir) => [.. Workspace.Manifest(outputDir).GetProperty("stages").EnumerateArray()];

    private static long Number(JsonElement stage, string name) => stage.GetProperty(name).GetInt64();

    private static List<Example> ReadRows(string path) => new DuckDbDatasetReader().ReadChunks(DatasetSource.Single(path)).SelectMany(c => c).ToList();

    [Test]
    public void All_stages_run_end_to_end_and_a_rerun_computes_only_what_changed()
    {
        var w = new Workspace();
        w.Append("data.jsonl", Dataset());
        var config = WriteConfig(w);

        AssertOk(Run(w, config));
        var cold = Stages(w.Path("out"));
        Assert.That(cold.Select(s => s.GetProperty("type").GetString()), Is.EqualTo(new[] { "expand", "dedupe", "diversity", "judge" }));
        foreach (var stage in cold)
        {
            var dropped = stage.GetProperty("dropped").EnumerateObject().Sum(d => d.Value.GetInt64());
            var type = stage.GetProperty("type").GetString();
            // Expansion drops generations, not input rows: each dropped rewrite or answer is one row fewer made.
            Assert.That(Number(stage, "rowsOut"), Is.EqualTo(type == "expand" ? Number(stage, "rowsIn") * 2 - dropped : Number(stage, "rowsIn") - dropped), type);
            Assert.That(File.Exists(stage.GetProperty("artifact").GetString()), Is.True, type);
        }
        var (expand, dedupe, diversity, judge) = (cold[0], cold[1], cold[2], cold[3]);
        Assert.Multiple(() =>
        {
            Assert.That(Number(expand, "rowsIn"), Is.EqualTo(Rows + 2));
            Assert.That(Number(expand, "generated") + Number(expand, "generationsFromCache"), Is.GreaterThanOrEqualTo(Rows + 2));
            Assert.That(dedupe.GetProperty("dropped").GetProperty("exact duplicate").GetInt64(), Is.GreaterThanOrEqualTo(1));
            Assert.That(Number(diversity, "rowsOut"), Is.EqualTo((int)Math.Round(Number(diversity, "rowsIn") * 0.5, MidpointRounding.AwayFromZero)));
            Assert.That(Number(judge, "rowsOut"), Is.InRange(1, 3));
            Assert.That(judge.GetProperty("dropped").EnumerateObject().Where(d => d.Name.StartsWith("unparseable", StringComparison.Ordinal)).Sum(d => d.Value.GetInt64()),
                Is.GreaterThan(0), "random text rarely holds a number: those rows are counted, not scored 0");
            Assert.That(judge.GetProperty("modelSha256").GetString(), Is.Not.EqualTo(expand.GetProperty("modelSha256").GetString()), "the judge's own model");
            Assert.That(Workspace.Manifest(w.Path("out")).GetProperty("counts").GetProperty("rows").GetInt64(), Is.EqualTo(Number(judge, "rowsOut")));
        });

        // The planted copy of row 2 and the whitespace variant of row 5 are gone after dedupe; the originals stay.
        var deduped = ReadRows(dedupe.GetProperty("artifact").GetString()!);
        var inputs = Workspace.Lines(0, Rows).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("output").GetString()!).ToArray();
        Assert.That(deduped.Count(r => r.Output == inputs[2]), Is.EqualTo(1));
        Assert.That(deduped.Count(r => r.Output.Trim() == inputs[5].Trim()), Is.EqualTo(1));
        Assert.That(deduped.Select(r => r.ContentHash).Distinct().Count(), Is.EqualTo(deduped.Count));

        // Rerun: every stage's work comes from the cache, and the outputs are the same bytes.
        AssertOk(Run(w, config));
        var warm = Stages(w.Path("out"));
        Assert.That(warm.Sum(s => Number(s, "generated") + Number(s, "embedded")), Is.Zero);
        Assert.That(warm.Select(s => s.GetProperty("sha256").GetString()), Is.EqualTo(cold.Select(s => s.GetProperty("sha256").GetString())));
        Assert.That(Workspace.Manifest(w.Path("out")).GetProperty("counts").GetProperty("pairsDecoded").GetInt64(), Is.Zero);

        // Two more rows: only their generations and the embeddings of rows not seen before are computed.
        w.Append("data.jsonl", Workspace.Lines(100, 2));
        AssertOk(Run(w, config));
        var grown = Stages(w.Path("out"));
        Assert.That(Number(grown[0], "generated"), Is.InRange(1, 4), "two rewrites, and an answer per usable rewrite");
        Assert.That(Number(grown[0], "generationsFromCache"), Is.EqualTo(Number(expand, "generated") + Number(expand, "generationsFromCache")));
        Assert.That(Number(grown[1], "embedded"), Is.InRange(1, 4), "the two rows and their expansions");
        Assert.That(Number(grown[2], "embedded"), Is.Zero, "diversity reuses the embeddings dedupe computed");
    }

    [Test]
    public void Seeded_expansion_gives_the_same_rows_from_a_cold_cache_and_other_rows_with_another_seed()
    {
        var w = new Workspace();
        w.Append("data.jsonl", Workspace.Lines(0, 4));
        const string Expand = """[ { "type": "expand", "maxTokens": 10, "keepTruncated": true, "seed": SEED } ]""";
        var a = WriteConfig(w, "a.json", Expand.Replace("SEED", "5", StringComparison.Ordinal));
        var b = WriteConfig(w, "b.json", Expand.Replace("SEED", "6", StringComparison.Ordinal));

        AssertOk(Run(w, a, "--output", w.Path("a1"), "--cache", w.Path("a1.duckdb")));
        AssertOk(Run(w, a, "--output", w.Path("a2"), "--cache", w.Path("a2.duckdb")));
        AssertOk(Run(w, b, "--output", w.Path("b"), "--cache", w.Path("b.duckdb")));

        var (a1, a2, other) = (Stages(w.Path("a1"))[0], Stages(w.Path("a2"))[0], Stages(w.Path("b"))[0]);
        Assert.That(Number(a2, "generationsFromCache"), Is.Zero, "a cold cache");
        Assert.That(a2.GetProperty("sha256").GetString(), Is.EqualTo(a1.GetProperty("sha256").GetString()));
        var rows = ReadRows(w.Path("a1/stages/1-expand.parquet"));
        Assert.That(rows.Take(4).Select(r => r.Instruction), Is.EqualTo(Workspace.Lines(0, 4).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("instruction").GetString())));
        Assert.That(ReadRows(w.Path("b/stages/1-expand.parquet")).Skip(4).Select(r => r.Instruction), Is.Not.EqualTo(rows.Skip(4).Select(r => r.Instruction)));
        Assert.That(other.GetProperty("sha256").GetString(), Is.Not.EqualTo(a1.GetProperty("sha256").GetString()));
    }

    [Test]
    public void A_bad_stage_setting_is_one_line_naming_the_key_and_nothing_is_written()
    {
        var w = new Workspace();
        w.Append("data.jsonl", Workspace.Lines(0, 4));
        var config = WriteConfig(w, stages: """[ { "type": "dedupe" }, { "type": "dedupe", "threshold": 2 } ]""");

        var result = Run(w, config);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Config), result.ToString());
        Assert.That(result.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.StdErr, Does.StartWith("error: ").And.Contain("'stages[1].threshold' is 2"));
        Assert.That(Directory.Exists(w.Path("out")), Is.False);
    }
}
