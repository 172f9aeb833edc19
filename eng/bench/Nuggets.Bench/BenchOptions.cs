using System.Globalization;

namespace Nuggets.Bench;

/// <summary>
/// Command line of <c>eng/bench.sh</c>:
/// <c>[--quick] [--pruning] [--models stories,random30m-f16] [--repeat R] [--anchors M] [--candidates N] [--threshold T] [--batch B]
/// [--threads T] [--reader-rows ROWS[,ROWS…]] [--no-scaling] [--out docs/benchmarks.md] [--work DIR] [--shared DIR]</c>.
/// Unset sizes come from <see cref="BenchModel"/>'s per-model defaults (full) or the quick defaults.
/// </summary>
internal sealed record BenchOptions
{
    public bool Quick { get; init; }
    public IReadOnlyList<string> Models { get; init; } = ["stories", "random30m-f16"];
    public int Repeat { get; init; } = 3;
    public int? Anchors { get; init; }
    public int? Candidates { get; init; }
    public double? Threshold { get; init; }
    public int? Batch { get; init; }
    public int Threads { get; init; }
    /// <summary>Row 7's file sizes, in rows.</summary>
    public IReadOnlyList<long> ReaderRows { get; init; } = [1_000_000, 10_000_000];
    /// <summary>True when the results go to the repository's own page (then README.md's summary is refreshed too).</summary>
    public bool WritesRepositoryPage { get; init; }
    public bool Scaling { get; init; } = true;
    /// <summary><c>--pruning</c>: run the pruning benchmark (<see cref="PruningBench"/>) instead of rows 1–7.</summary>
    public bool Pruning { get; init; }
    public required string Repo { get; init; }
    public required string Shared { get; init; }
    public required string Out { get; init; }
    public required string Work { get; init; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a usage line on anything unknown.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string[] valued = ["--models", "--repeat", "--anchors", "--candidates", "--threshold", "--batch", "--threads", "--reader-rows", "--out", "--work", "--shared", "--repo"];
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--quick" or "--no-scaling" or "--pruning") flags.Add(args[i]);
            else if (valued.Contains(args[i]) && i + 1 < args.Count) values[args[i]] = args[++i];
            else throw new ArgumentException($"unknown argument '{args[i]}'. {Usage}");
        }
        string? Get(string name) => values.TryGetValue(name, out var v) ? v : null;
        int? Int(string name) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;

        var quick = flags.Contains("--quick");
        var repo = Path.GetFullPath(Get("--repo") ?? Directory.GetCurrentDirectory());
        var work = Path.GetFullPath(Get("--work") ?? Path.Combine(repo, "artifacts", "bench"));
        return new BenchOptions
        {
            Quick = quick,
            Models = (Get("--models") ?? (quick ? "stories" : "stories,random30m-f16")).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Repeat = Int("--repeat") ?? (quick ? 1 : 3),
            Anchors = Int("--anchors"),
            Candidates = Int("--candidates"),
            Threshold = Get("--threshold") is { } t ? double.Parse(t, CultureInfo.InvariantCulture) : null,
            Batch = Int("--batch"),
            // Quick runs share CI runners with parallel test assemblies, where two spinning llama.cpp threads can
            // run many times slower than one (docs/benchmarks.md, "Threads on a shared machine").
            Threads = Int("--threads") ?? (quick ? 1 : 0),
            ReaderRows = Get("--reader-rows") is { } rows
                ? rows.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => long.Parse(r, CultureInfo.InvariantCulture)).ToArray()
                : quick ? [20_000] : [1_000_000, 10_000_000],
            Scaling = !flags.Contains("--no-scaling"),
            Pruning = flags.Contains("--pruning"),
            Repo = repo,
            Shared = Path.GetFullPath(Get("--shared") ?? Path.Combine(repo, "..", "shared")),
            // A quick run's numbers mean nothing, so by default they never overwrite the recorded results.
            Out = Path.GetFullPath(Get("--out") ?? (quick ? Path.Combine(work, "quick", "benchmarks.md") : Path.Combine(repo, "docs", "benchmarks.md"))),
            WritesRepositoryPage = !quick && Get("--out") is null,
            Work = work,
        };
    }

    public const string Usage =
        "usage: eng/bench.sh [--quick] [--pruning] [--models stories,random30m-f16] [--repeat R] [--anchors M] [--candidates N] [--threshold T] " +
        "[--batch B] [--threads T] [--reader-rows ROWS[,ROWS...]] [--no-scaling] [--out FILE.md] [--work DIR] [--shared DIR]";
}
