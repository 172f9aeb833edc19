using System.Diagnostics;
using System.Text.Json;
using Nuggets.DuckDb.Sql;

namespace Nuggets.Report.Tests;

/// <summary>What a run of the real tool printed and returned.</summary>
internal sealed record ToolResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}

/// <summary>One row of scores.parquet as the tests read it with their own SQL.</summary>
internal sealed record ScoreRow(long Row, double GoldenScore, int Wins, int AnchorsScored, string Instruction, bool ScoreExact);

/// <summary>
/// One small real run shared by the tests of this assembly: 16 Alpaca rows, 4 random anchors, threshold 0.25 with
/// pruning (so some scores are lower bounds), through the built <c>dotnet-nuggets</c> as a user would run it.
/// </summary>
internal static class SmallRun
{
    public const int Anchors = 4;
    public const double Threshold = 0.25;

    private static readonly Lazy<string> Folder = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The workspace: small.jsonl, out/ (selection, scores, manifest, report.html), cache.duckdb.</summary>
    public static string Root => Folder.Value;

    public static string Out => Path.Combine(Root, "out");

    public static string OutFile(string name) => Path.Combine(Out, name);

    public static JsonElement Manifest() => JsonDocument.Parse(File.ReadAllText(OutFile("manifest.json"))).RootElement;

    private static string Create()
    {
        var root = TestPaths.NewTempDirectory("report");
        File.WriteAllLines(Path.Combine(root, "small.jsonl"), File.ReadLines(TestPaths.Data("alpaca/alpaca_2k.jsonl")).Take(16));
        var result = Tool(root, "run", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), "--dataset", "small.jsonl",
            "--anchors", $"random:{Anchors}", "--threshold", "0.25", "--output", "out", "--cache", "cache.duckdb", "--quiet");
        if (result.ExitCode != 0) throw new InvalidOperationException($"the small run failed: {result}");
        return root;
    }

    /// <summary>Runs the built tool in <paramref name="workingDirectory"/> with plain, wide output.</summary>
    public static ToolResult Tool(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dotnet-nuggets.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        start.Environment[OneThread.Variable] = OneThread.Value;
        start.Environment["COLUMNS"] = "220";
        CheckoutAnchorLock.KeepOutOfCheckout(start);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet-nuggets {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return new ToolResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>scores.parquet read with plain SQL (not the reader under test), in row order.</summary>
    public static List<ScoreRow> Scores()
    {
        using var session = DuckDbSession.Open(null);
        using var result = session.Query(
            $"SELECT row, golden_score, wins, anchors_scored, instruction, CAST(score_exact AS INTEGER) FROM read_parquet({SqlText.Literal(OutFile("scores.parquet"))}) ORDER BY row");
        var rows = new List<ScoreRow>();
        while (result.Next() is { } chunk)
        {
            using (chunk)
            {
                for (var i = 0; i < chunk.Size; i++)
                    rows.Add(new ScoreRow(chunk.Vector(0).GetInt64(i), chunk.Vector(1).GetDouble(i), chunk.Vector(2).GetInt32(i), chunk.Vector(3).GetInt32(i), chunk.Vector(4).GetString(i),
                        chunk.Vector(5).GetInt32(i) != 0));
            }
        }
        return rows;
    }
}
