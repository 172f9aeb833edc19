using System.Text.Json;

namespace Nuggets.Cli.Tests;

/// <summary>
/// A throw-away project folder for end-to-end runs: a small real Alpaca subset (JSONL lines of
/// ../shared/data/alpaca/alpaca_2k.jsonl), an anchors file taken from other rows, and paths for outputs and caches.
/// </summary>
internal sealed class Workspace
{
    private static readonly string[] AlpacaLines = File.ReadAllLines(TestPaths.Data("alpaca/alpaca_2k.jsonl"));

    public string Root { get; } = TestPaths.NewTempDirectory("e2e");

    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>Writes rows [start, start + count) of alpaca_2k as a JSONL file.</summary>
    public string WriteAlpaca(string name, int start, int count, Func<string, string>? edit = null)
    {
        var lines = AlpacaLines.Skip(start).Take(count).Select(edit ?? (l => l));
        File.WriteAllLines(Path(name), lines);
        return Path(name);
    }

    /// <summary>
    /// Writes rows [start, start + count) of <see cref="Short"/> as a JSONL file: short rows score several times faster
    /// than the average Alpaca row, for tests whose point is not the text.
    /// </summary>
    public string WriteShortAlpaca(string name, int start, int count)
    {
        File.WriteAllLines(Path(name), Short(start, count));
        return Path(name);
    }

    /// <summary>Rows [start, start + count) of the alpaca_2k lines shorter than 200 characters (899 of them), in file order.</summary>
    public static IEnumerable<string> Short(int start, int count) => ShortLines(200).Skip(start).Take(count);

    /// <summary>Appends lines to a JSONL file.</summary>
    public void Append(string name, IEnumerable<string> lines) => File.AppendAllLines(Path(name), lines);

    public static IEnumerable<string> Lines(int start, int count) => AlpacaLines.Skip(start).Take(count);

    /// <summary>The lines of alpaca_2k, in file order, whose instruction, input and output together are shorter than <paramref name="maxChars"/>.</summary>
    public static IEnumerable<string> ShortLines(int maxChars) => AlpacaLines.Where(line =>
    {
        using var json = JsonDocument.Parse(line);
        var r = json.RootElement;
        return r.GetProperty("instruction").GetString()!.Length + r.GetProperty("input").GetString()!.Length + r.GetProperty("output").GetString()!.Length < maxChars;
    });

    /// <summary>Runs the tool in this folder with the repository's config, so paths in it resolve as a user's would.</summary>
    public CliResult Nuggets(string command, params string[] args) =>
        CliRunner.Run(Root, [command, "--config", System.IO.Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), .. args]);

    public static JsonElement Manifest(string outputDir) =>
        JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(outputDir, "manifest.json"))).RootElement;

    /// <summary>The rows of a JSONL output file, parsed.</summary>
    public static List<JsonElement> ReadJsonLines(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
}
