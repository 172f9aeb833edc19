using System.Text.Json;
using Nuggets.Testing.Gguf;
using static Nuggets.Cli.Tests.SignalRunner;
using static Nuggets.Cli.Tests.StoppedRuns;

namespace Nuggets.Cli.Tests;

/// <summary>
/// SIGINT and SIGTERM sent to the real tool in each LIFT stage (expand, dedupe, diversity, judge), held there by
/// NUGGETS_TEST_PAUSE_AT and signalled when it says so. Three Alpaca rows keep the runs short. Each stopped run must exit
/// 130/143 naming the stage, leave the previous outputs byte-identical (its stage folder in progress removed too), and a
/// rerun must take from the cache exactly the generations and embeddings the stopped run said it kept.
/// </summary>
public sealed class StageSignalTests
{
    private static readonly Lazy<Setup> Shared = new(() => new Setup());

    private sealed class Setup
    {
        public Workspace Files { get; } = new();
        public string Previous => Files.Path("previous");
        public Dictionary<string, string> Configs { get; } = [];

        public Setup()
        {
            Files.WriteAlpaca("data.jsonl", 0, 3);
            Files.WriteAlpaca("previous.jsonl", 0, 4);
            // A random-weight judge: the stories model never writes digits (see LiftStagesEndToEndTests). Its vocabulary is
            // the smallest (bytes, ASCII and a few words), so a digit is likely at every step and a 200-token reply all but
            // surely holds a usable score: the rerun needs at least one row left to score.
            var judgeModel = Files.Path("judge.gguf");
            RandomLlamaModel.Write(judgeModel, new RandomLlamaSpec
            {
                VocabularySize = 360, EmbeddingSize = 64, Layers = 2, FeedForwardSize = 128, Heads = 4, KvHeads = 2,
                ContextLength = 1024, Seed = 7, ChatTemplate = RandomLlamaModel.ChatMlTemplate,
            });
            Configs["expand"] = WriteConfig("expand.json", """[ { "type": "expand", "rounds": 1, "maxTokens": 8, "keepTruncated": true } ]""");
            Configs["embeddings"] = WriteConfig("embeddings.json", """[ { "type": "dedupe", "threshold": 0.999 }, { "type": "diversity", "keepFraction": 0.67 } ]""");
            Configs["judge"] = WriteConfig("judge.json", $$"""
                [ { "type": "judge", "model": {{JsonSerializer.Serialize(judgeModel)}}, "temperature": 1.5, "topK": 0, "topP": 1, "maxTokens": 200, "top": 2,
                    "prompt": "Score 0-100: {instruction}" } ]
                """);
            // The previous output is a plain run's: any output would do, it must only stay as it is.
            var result = CliRunner.Run(Files.Root, ["run", "--config", WriteConfig("plain.json", "[]"), "--dataset", Files.Path("previous.jsonl"),
                "--output", Previous, "--cache", Files.Path("previous.duckdb"), "--quiet", "--no-report"]);
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
        }

        private string WriteConfig(string name, string stages)
        {
            File.WriteAllText(Files.Path(name), $$"""
                {
                  "dataset": { "path": "data.jsonl" },
                  "model": { "path": {{JsonSerializer.Serialize(TestPaths.StoriesModel)}}, "batchSize": 256, "threads": 1 },
                  "anchors": { "method": "random", "count": 2 },
                  "selection": { "mode": "top", "top": 1 },
                  "stages": {{stages}}
                }
                """);
            return Files.Path(name);
        }
    }

    private static string[] Args(string config, Workspace w) =>
        ["run", "--config", config, "--output", w.Path("out"), "--cache", w.Path("cache.duckdb"), "--quiet", "--no-report"];

    // expand#2 and judge#2: after the stage's first commit of generations; dedupe#2: after its embeddings are committed;
    // diversity: its start (dedupe's embeddings, which it reuses, are committed by then).
    [TestCase("expand", "expand#2", "stage 1/1: expand", SigInt)]
    [TestCase("expand", "expand#2", "stage 1/1: expand", SigTerm)]
    [TestCase("embeddings", "dedupe#2", "stage 1/2: dedupe", SigInt)]
    [TestCase("embeddings", "dedupe#2", "stage 1/2: dedupe", SigTerm)]
    [TestCase("embeddings", "diversity", "stage 2/2: diversity", SigInt)]
    [TestCase("embeddings", "diversity", "stage 2/2: diversity", SigTerm)]
    [TestCase("judge", "judge#2", "stage 1/1: judge", SigInt)]
    [TestCase("judge", "judge#2", "stage 1/1: judge", SigTerm)]
    public void A_signal_in_a_stage_stops_there_and_a_rerun_reuses_every_committed_model_call(string config, string point, string phase, int signal)
    {
        var setup = Shared.Value;
        var w = new Workspace();
        CopyTree(setup.Previous, w.Path("out"));
        var before = Snapshot(w.Path("out"));

        var run = SignalRunner.Run(w.Root, Args(setup.Configs[config], w),
            line => line.StartsWith("nuggets: test: paused at ", StringComparison.Ordinal) ? signal : null,
            new Dictionary<string, string> { ["NUGGETS_TEST_PAUSE_AT"] = point });

        var kept = AssertStopped(run, signal, phase, w.Path("out"));
        Assert.That(kept.Generations + kept.Embeddings, Is.GreaterThan(0), "the stage had committed model work to keep");
        Assert.That(Snapshot(w.Path("out")), Is.EqualTo(before), "the previous outputs are byte-identical; no stage folder is left");

        var rerun = CliRunner.Run(w.Root, Args(setup.Configs[config], w));
        Assert.That(rerun.ExitCode, Is.Zero, rerun.ToString());
        var first = Workspace.Manifest(w.Path("out")).GetProperty("stages")[0];
        Assert.That(first.GetProperty("generationsFromCache").GetInt64(), Is.EqualTo(kept.Generations), "every committed generation is reused");
        Assert.That(first.GetProperty("embeddingsFromCache").GetInt64(), Is.EqualTo(kept.Embeddings), "every committed embedding is reused");
    }
}
