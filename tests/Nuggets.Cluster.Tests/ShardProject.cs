using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nuggets.Cluster.Tests;

/// <summary>
/// A project folder as a user would have it: 200 real Alpaca rows, the repository's tiny model, 4 random anchors and a
/// threshold selection with pruning (the defaults' shape), and the tool to run in it.
/// </summary>
internal sealed partial class ShardProject
{
    public const int Rows = 200;

    /// <summary>The built tool, as the jobs run it (<c>NUGGETS</c> in the generated scripts).</summary>
    public static readonly string ToolCommand = $"dotnet {System.IO.Path.Combine(AppContext.BaseDirectory, "dotnet-nuggets.dll")}";

    public string Root { get; } = TestPaths.NewTempDirectory("shards");

    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public ShardProject()
    {
        File.WriteAllLines(Path("data.jsonl"), File.ReadLines(TestPaths.Data("alpaca/alpaca_2k.jsonl")).Take(Rows));
        File.WriteAllText(Path("nuggets.config.json"), JsonSerializer.Serialize(new
        {
            dataset = new { path = "data.jsonl" },
            model = new { path = TestPaths.StoriesModel },
            anchors = new { method = "random", count = 4, seed = 42 },
            selection = new { mode = "threshold", threshold = 0.5 },
            // Small commits, so a task stopped mid-shard has committed work to continue from.
            cache = new { path = ".nuggets/cache.duckdb", commitPairs = 16 },
            output = new { directory = "out" },
        }));
    }

    /// <summary>Runs the tool in this folder with its config.</summary>
    public ProcessResult Nuggets(params string[] args) =>
        SlurmCluster.Run("dotnet", [System.IO.Path.Combine(AppContext.BaseDirectory, "dotnet-nuggets.dll"), .. args], new Dictionary<string, string> { ["NO_COLOR"] = "1" }, Root);

    /// <summary>Runs the generated <c>submit.sh</c> (with <paramref name="tasks"/>, if given); returns the score array's and the merge job's ids.</summary>
    public (string Score, string Merge) Submit(SlurmCluster cluster, string? tasks = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(cluster.ClientEnvironment) { ["NUGGETS"] = ToolCommand, ["NO_COLOR"] = "1" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) env[key] = value;
        var submitted = SlurmCluster.Run(Path("jobs/slurm/submit.sh"), tasks is null ? [] : [tasks], env, Root);
        Assert.That(submitted.ExitCode, Is.Zero, submitted.ToString());
        var ids = SubmitLine().Match(submitted.StdOut);
        Assert.That(ids.Success, Is.True, submitted.ToString());
        return (ids.Groups[1].Value, ids.Groups[2].Value);
    }

    /// <summary>The log of array task <paramref name="task"/> of job <paramref name="array"/>, or "" before it exists.</summary>
    public string TaskLog(string array, int task) => File.Exists(Path($"jobs/slurm/logs/score-{array}_{task}.log")) ? File.ReadAllText(Path($"jobs/slurm/logs/score-{array}_{task}.log")) : "";

    public static JsonElement Manifest(string outputDirectory) =>
        JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(outputDirectory, "manifest.json"))).RootElement;

    [GeneratedRegex(@"score array job (\d+) .*merge job (\d+)")]
    private static partial Regex SubmitLine();
}
