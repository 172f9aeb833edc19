using System.Text.Json;
using Nuggets.Core.Scoring;

namespace Nuggets.Llama.Tests;

/// <summary>Alpaca rows formatted as DESIGN.md §1 describes, and their token sequences.</summary>
internal static class Texts
{
    public sealed record Row(string Prompt, string Output);

    public static IReadOnlyList<Row> Alpaca(int count, int skip = 0, int maxChars = 400)
    {
        var rows = new List<Row>();
        foreach (var line in File.ReadLines(TestPaths.Data("alpaca/alpaca_2k.jsonl")).Skip(skip))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var instruction = root.GetProperty("instruction").GetString()!.Trim();
            var input = root.TryGetProperty("input", out var i) ? i.GetString()!.Trim() : "";
            var output = root.GetProperty("output").GetString()!.Trim();
            var prompt = input.Length == 0
                ? $"Instruction:\n{instruction}\nResponse:\n"
                : $"Instruction:\n{instruction}\nInput:\n{input}\nResponse:\n";
            if (prompt.Length + output.Length > maxChars) continue;
            rows.Add(new Row(prompt, output));
            if (rows.Count == count) break;
        }
        return rows;
    }

    public static AnchorSequence Anchor(LlamaTokenizer tokenizer, Row row)
    {
        var full = tokenizer.Tokenize(row.Prompt + row.Output, addBos: false);
        var prompt = tokenizer.Tokenize(row.Prompt, addBos: false);
        return new AnchorSequence(full, prompt.Length);
    }

    public static int[] Candidate(LlamaTokenizer tokenizer, Row row) => tokenizer.Tokenize(row.Prompt + row.Output, addBos: true);
}
