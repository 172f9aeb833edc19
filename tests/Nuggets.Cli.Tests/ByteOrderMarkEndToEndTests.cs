using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nuggets.Core;

namespace Nuggets.Cli.Tests;

/// <summary>
/// A dataset file that starts with a UTF-8 byte order mark (Windows editors, spreadsheet "CSV UTF-8" exports) runs
/// through the real tool like the same file without it: the same scores and selection, byte for byte; only the
/// manifest's input hash, which is of the file as it is on disk, differs.
/// </summary>
public sealed class ByteOrderMarkEndToEndTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Short Alpaca rows with no comma, quote or line break in any field, so CSV can leave the data unquoted.</summary>
    private static readonly (string Instruction, string Input, string Output)[] Rows = Workspace.ShortLines(200)
        .Select(line => JsonDocument.Parse(line).RootElement)
        .Select(r => (r.GetProperty("instruction").GetString()!, r.GetProperty("input").GetString()!, r.GetProperty("output").GetString()!))
        .Where(r => !$"{r.Item1}{r.Item2}{r.Item3}".Any(c => c is ',' or '"' or '\n' or '\r'))
        .Take(5)
        .ToArray();

    private static string Text(string format) => format switch
    {
        "jsonl" => string.Concat(Rows.Select(r => JsonSerializer.Serialize(new { instruction = r.Instruction, input = r.Input, output = r.Output }) + "\n")),
        "json" => "[\n" + string.Join(",\n", Rows.Select(r => JsonSerializer.Serialize(new { instruction = r.Instruction, input = r.Input, output = r.Output }))) + "\n]\n",
        // Only the first header cell quoted: the case DuckDB's CSV sniffer got wrong after a mark.
        "csv" => "\"instruction\",input,output\n" + string.Concat(Rows.Select(r => $"{r.Instruction},{r.Input},{r.Output}\n")),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    [TestCase("jsonl")]
    [TestCase("json")]
    [TestCase("csv")]
    public void A_dataset_with_a_byte_order_mark_scores_and_selects_like_the_file_without_it(string format)
    {
        Assert.That(Rows, Has.Length.EqualTo(5), "enough plain rows in alpaca_2k");
        var w = new Workspace();
        var bytes = Encoding.UTF8.GetBytes(Text(format));
        File.WriteAllBytes(w.Path($"plain.{format}"), bytes);
        File.WriteAllBytes(w.Path($"bom.{format}"), [.. Bom, .. bytes]);

        foreach (var name in new[] { "plain", "bom" })
        {
            // One cache for both runs: the second scores nothing new when the rows, hence the token keys, are the same.
            var result = w.Nuggets("run", "--dataset", w.Path($"{name}.{format}"), "--anchors", "random:2", "--threshold", "0",
                "--output", w.Path($"out-{name}"), "--cache", w.Path("cache.duckdb"), "--no-report", "--quiet");
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        }

        foreach (var file in new[] { "selected.parquet", "scores.parquet", "anchors.parquet" })
            Assert.That(File.ReadAllBytes(w.Path($"out-bom/{file}")), Is.EqualTo(File.ReadAllBytes(w.Path($"out-plain/{file}"))), file);
        var plain = Workspace.Manifest(w.Path("out-plain"));
        var bom = Workspace.Manifest(w.Path("out-bom"));
        Assert.That(bom.GetProperty("counts").GetProperty("scored").GetInt64(), Is.EqualTo(3), "5 rows less 2 anchors");
        Assert.That(bom.GetProperty("counts").GetProperty("pairsDecoded").GetInt64(), Is.Zero, "every pair came from the plain file's run");
        Assert.That(bom.GetProperty("inputs")[0].GetProperty("sha256").GetString(),
            Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(w.Path($"bom.{format}"))))), "the hash of the file as it is");
        Assert.That(bom.GetProperty("inputs")[0].GetProperty("sha256").GetString(),
            Is.Not.EqualTo(plain.GetProperty("inputs")[0].GetProperty("sha256").GetString()));
    }
}
