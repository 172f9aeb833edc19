using System.Text.Json;
using Nuggets.Core.Data;
using Nuggets.Core.Prompting;
using Nuggets.Core.Scoring;

namespace Nuggets.Llama.Tests;

/// <summary>Alpaca rows formatted as docs/scoring.md ("The text of a row", "Token sequences") describes, and their token sequences.</summary>
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
            var text = AlpacaTemplate.Format(new Example(rows.Count, root.GetProperty("instruction").GetString()!,
                root.TryGetProperty("input", out var i) ? i.GetString()! : "", root.GetProperty("output").GetString()!));
            if (text.FullText.Length > maxChars) continue;
            rows.Add(new Row(text.Prompt, text.Response));
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
