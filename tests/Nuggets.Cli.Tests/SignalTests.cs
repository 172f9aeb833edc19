using System.Text.Json;
using static Nuggets.Cli.Tests.SignalRunner;
using static Nuggets.Cli.Tests.StoppedRuns;

namespace Nuggets.Cli.Tests;

/// <summary>
/// SIGINT and SIGTERM sent to the real tool in each phase of a run (the LIFT stages are in <see cref="StageSignalTests"/>).
/// The run is held at a point of the phase by NUGGETS_TEST_PAUSE_AT and signalled when it says so, so where a signal lands
/// is set by the tool's own report, never by a clock. Each stopped run must exit 130/143 with one line naming the phase,
/// leave the previous outputs byte-identical, and leave a cache from which a rerun reuses exactly what it kept and writes
/// the same selection as an uninterrupted run.
/// </summary>
public sealed class SignalTests
{
    private static readonly Lazy<Setup> Shared = new(() => new Setup());

    /// <summary>
    /// Six Alpaca rows, two random anchors, one pair per cache commit (so zero-shot takes two commits and scoring twelve);
    /// a previous output from four rows (so any publish would change it); and an uninterrupted run to compare with.
    /// </summary>
    private sealed class Setup
    {
        public Workspace Files { get; } = new();
        public string Config { get; }
        public string KmeansConfig { get; }
        public string Previous => Files.Path("previous");
        public string Reference => Files.Path("reference");

        public Setup()
        {
            Files.WriteAlpaca("data.jsonl", 0, 6);
            Files.WriteAlpaca("previous.jsonl", 0, 4);
            Config = WriteConfig("pipeline.json", """{ "method": "random", "count": 2 }""");
            KmeansConfig = WriteConfig("kmeans.json", """{ "method": "kmeans", "count": 2 }""");
            AssertOk(CliRunner.Run(Files.Root, [.. Args(Config, Previous, Files.Path("previous.duckdb")), "--dataset", Files.Path("previous.jsonl")]));
            AssertOk(CliRunner.Run(Files.Root, Args(Config, Reference, Files.Path("reference.duckdb"))));
        }

        private string WriteConfig(string name, string anchors)
        {
            File.WriteAllText(Files.Path(name), $$"""
                {
                  "dataset": { "path": "data.jsonl" },
                  "model": { "path": {{JsonSerializer.Serialize(TestPaths.StoriesModel)}}, "batchSize": 256, "threads": 1 },
                  "anchors": {{anchors}},
                  "selection": { "mode": "top", "top": 2 },
                  "cache": { "commitPairs": 1 }
                }
                """);
            return Files.Path(name);
        }
    }

    private static string[] Args(string config, string output, string cache) =>
        ["run", "--config", config, "--output", output, "--cache", cache, "--quiet", "--no-report"];

    private static void AssertOk(CliResult result) => Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());

    private static Dictionary<string, string> PauseAt(string point, bool everyReport = false)
    {
        var environment = new Dictionary<string, string> { ["NUGGETS_TEST_PAUSE_AT"] = point };
        if (everyReport) environment["NUGGETS_PROGRESS_SECONDS"] = "0";
        return environment;
    }

    private static long Count(string outputDir, string name) => Workspace.Manifest(outputDir).GetProperty("counts").GetProperty(name).GetInt64();

    /// <summary>A fresh folder whose out/ holds a copy of the previous output.</summary>
    private static Workspace WithPreviousOutput()
    {
        var w = new Workspace();
        CopyTree(Shared.Value.Previous, w.Path("out"));
        return w;
    }

    // anchors: the start of the phase (nothing is committed yet). zero-shot#2: after the first of its two commits.
    // scoring#2: after its first committed batch. writing#2: after the first output file is staged.
    [TestCase("anchors", "anchors", SigInt)]
    [TestCase("anchors", "anchors", SigTerm)]
    [TestCase("zero-shot#2", "zero-shot", SigInt)]
    [TestCase("zero-shot#2", "zero-shot", SigTerm)]
    [TestCase("scoring#2", "scoring", SigInt)]
    [TestCase("scoring#2", "scoring", SigTerm)]
    [TestCase("writing#2", "writing", SigInt)]
    [TestCase("writing#2", "writing", SigTerm)]
    public void A_signal_in_a_phase_stops_there_keeps_what_was_committed_and_the_previous_outputs(string point, string phase, int signal)
    {
        var setup = Shared.Value;
        var w = WithPreviousOutput();
        var before = Snapshot(w.Path("out"));

        var run = SignalRunner.Run(w.Root, Args(setup.Config, w.Path("out"), w.Path("cache.duckdb")),
            line => line.StartsWith("nuggets: test: paused at ", StringComparison.Ordinal) ? signal : null, PauseAt(point));

        var kept = AssertStopped(run, signal, phase, w.Path("out"));
        Assert.That(run.StdErrLines, Has.Some.EqualTo($"nuggets: test: paused at {(point.Contains('#') ? point : point + "#1")}"));
        Assert.That(Snapshot(w.Path("out")), Is.EqualTo(before), "the previous outputs are byte-identical and nothing is left beside them");
        if (phase is "zero-shot" or "scoring" or "writing") Assert.That(kept.ZeroShotSums + kept.Pairs, Is.GreaterThan(0), "the phase had committed work to keep");

        // The rerun decodes exactly what the stopped run had not committed, and ends where an uninterrupted run does.
        AssertOk(CliRunner.Run(w.Root, Args(setup.Config, w.Path("out"), w.Path("cache.duckdb"))));
        Assert.That(Count(w.Path("out"), "zeroShotDecoded"), Is.EqualTo(Count(setup.Reference, "zeroShotDecoded") - kept.ZeroShotSums));
        Assert.That(Count(w.Path("out"), "pairsDecoded"), Is.EqualTo(Count(setup.Reference, "pairsDecoded") - kept.Pairs));
        Assert.That(Count(w.Path("out"), "pairsFromCache"), Is.EqualTo(kept.Pairs));
        Assert.That(File.ReadAllBytes(w.Path("out/selected.parquet")), Is.EqualTo(File.ReadAllBytes(Path.Combine(setup.Reference, "selected.parquet"))));
    }

    [TestCase(SigInt)]
    [TestCase(SigTerm)]
    public void A_signal_while_embedding_for_kmeans_anchors_stops_before_any_cache_or_output_is_touched(int signal)
    {
        var setup = Shared.Value;
        var w = WithPreviousOutput();
        var before = Snapshot(w.Path("out"));

        var run = SignalRunner.Run(w.Root, Args(setup.KmeansConfig, w.Path("out"), w.Path("cache.duckdb")),
            line => line.StartsWith("nuggets: test: paused at ", StringComparison.Ordinal) ? signal : null, PauseAt("embeddings"));

        var kept = AssertStopped(run, signal, "embeddings", w.Path("out"));
        Assert.That(kept, Is.EqualTo(new KeptWork(0, 0, 0, 0)));
        Assert.That(run.Errors[0], Does.Contain("had not committed any model work"));
        Assert.That(Snapshot(w.Path("out")), Is.EqualTo(before));
        // Anchor embeddings are not cached, and the cache is opened only once the anchors are known.
        Assert.That(File.Exists(w.Path("cache.duckdb")), Is.False);
    }

    [TestCase(SigInt)]
    [TestCase(SigTerm)]
    public void A_second_signal_exits_at_once_and_the_transaction_in_flight_is_rolled_back(int signal)
    {
        // The run holds inside its third pairs transaction — rows appended, COMMIT not yet run — like a native call that
        // does not return, so the first signal cannot stop it and only the second one, sent once the run said it is
        // stopping, ends it: with the transaction in flight.
        var setup = Shared.Value;
        var w = WithPreviousOutput();
        var before = Snapshot(w.Path("out"));
        var args = Args(setup.Config, w.Path("out"), w.Path("cache.duckdb")).Where(a => a != "--quiet").ToArray();

        var run = SignalRunner.Run(w.Root, args, line =>
            line == "nuggets: test: holding at pairs-commit#3" || line.StartsWith($"nuggets: {NameOf(signal)} received;", StringComparison.Ordinal) ? signal : null,
            PauseAt("pairs-commit#3", everyReport: true));

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodeFor(signal)), run.ToString());
        Assert.That(run.SignalsSent, Is.EqualTo(2), run.ToString());
        Assert.That(run.Errors, Has.Count.EqualTo(1), run.ToString());
        Assert.That(run.Errors[0], Does.StartWith($"error: second signal ({NameOf(signal)}): exited at once.")
            .And.EndWith($"the previous outputs in {w.Path("out")} are untouched."), run.ToString());
        Assert.That(Snapshot(w.Path("out")), Is.EqualTo(before));

        // Two batches were committed and reported before the hold; the third never was.
        var committed = ProgressLine.All(string.Join('\n', run.StdErrLines)).Last();
        Assert.That((committed.Stage, committed.BatchesCommitted), Is.EqualTo(("scoring", 2L)), run.ToString());
        // The line's committed count holds the zero-shot sums too, committed before scoring.
        var committedPairs = committed.PairsCommitted - Count(setup.Reference, "zeroShotDecoded");

        AssertOk(CliRunner.Run(w.Root, "cache", "stats", "--cache", w.Path("cache.duckdb")));
        AssertOk(CliRunner.Run(w.Root, Args(setup.Config, w.Path("out"), w.Path("cache.duckdb"))));
        Assert.That(Count(w.Path("out"), "zeroShotDecoded"), Is.Zero, "the zero-shot sums committed before are reused");
        Assert.That(Count(w.Path("out"), "pairsFromCache"), Is.EqualTo(committedPairs), "every committed pair is reused, and nothing of the third batch survived");
        Assert.That(Count(w.Path("out"), "pairsDecoded"), Is.EqualTo(Count(setup.Reference, "pairsDecoded") - committedPairs));
        Assert.That(File.ReadAllBytes(w.Path("out/selected.parquet")), Is.EqualTo(File.ReadAllBytes(Path.Combine(setup.Reference, "selected.parquet"))));
    }
}
