using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Tests.Fakes;

/// <summary>Wires the pipeline to the fakes, for tests of orchestration logic (pruning, caching, sharding).</summary>
internal sealed class FakePipeline
{
    public FakeEngine Engine { get; } = new();
    public InMemoryCache Cache { get; } = new();
    public RecordingWriter Writer { get; } = new();
    public Dictionary<string, List<Example>> Files { get; } = [];
    public string Directory { get; } = TestPaths.NewTempDirectory("fake-pipeline");
    public long? NullAtRow { get; set; }
    /// <summary>The session's embedder (k-means anchors).</summary>
    public Stages.FakeEmbedder Embedder { get; } = new();
    /// <summary>Pick the anchors again even when the lock fits (<c>anchors --refresh</c>).</summary>
    public bool RefreshAnchors { get; set; }

    /// <summary>An engine used instead of <see cref="Engine"/> (e.g. one wrapping it).</summary>
    public IScoringEngine? EngineOverride { get; set; }

    /// <summary>A governor for the session, given the engine to apply its counts to; none when null.</summary>
    public Func<FakeEngine, Core.Cpu.ThreadGovernor>? Governor { get; set; }

    public static List<Example> Examples(int count, int offset = 0) =>
        Enumerable.Range(offset, count).Select(i => new Example(i - offset, $"Instruction {i}: say {i * 7 % 13}", i % 3 == 0 ? $"input {i}" : "", $"Answer {i} is {i * 31 % 97}.")).ToList();

    public PipelineResult Run(Action<NuggetsOptions> configure, PipelineMode mode = PipelineMode.Run, RunStop? stop = null, IProgress<PipelineProgress>? progress = null)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["dataset:path"] = "data",
            ["model:path"] = "model.gguf",
            ["output:directory"] = Path.Combine(Directory, "out"),
            ["cache:path"] = Path.Combine(Directory, "cache.db"),
            ["anchors:lockFile"] = Path.Combine(Directory, "nuggets.anchors.lock.json"),
        };
        var loaded = ConfigLoader.Load(null, overrides);
        loaded.Options.Cache.CommitPairs = 17;
        configure(loaded.Options);
        // ConfigLoader resolved "data" against the working directory; the in-memory reader keys files by that path.
        var files = Files.ToDictionary(f => Path.GetFullPath(f.Key), f => f.Value);
        var services = new PipelineServices
        {
            Reader = new InMemoryReader(files) { NullAtRow = NullAtRow },
            Writer = Writer,
            OpenCache = (_, _) => new RunCaches(Cache, new Stages.InMemoryStageCache()),
            OpenSession = (_, _) => new ScoringSession(EngineOverride ?? Engine, Embedder, null, "model-sha", "test-build", "fake", "fake/exact") { Governor = Governor?.Invoke(Engine) },
        };
        var pipeline = new NuggetsPipeline(services) { CandidatesPerChunk = 5 };
        loaded = loaded with { RefreshAnchors = RefreshAnchors };
        return stop is null ? pipeline.Run(loaded, mode, progress) : pipeline.Run(loaded, mode, progress, stop);
    }
}
