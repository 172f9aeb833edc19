using System.Text.Json;

namespace Nuggets.Bench.Engine;

/// <summary>Alpaca rows in the DESIGN.md §1 template.</summary>
internal sealed record AlpacaRow(string Prompt, string Output)
{
    public static List<AlpacaRow> Read(string path, int count)
    {
        var rows = new List<AlpacaRow>();
        foreach (var line in File.ReadLines(path))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var instruction = root.GetProperty("instruction").GetString()!.Trim();
            var input = root.TryGetProperty("input", out var i) ? i.GetString()!.Trim() : "";
            var output = root.GetProperty("output").GetString()!.Trim();
            var prompt = input.Length == 0
                ? $"Instruction:\n{instruction}\nResponse:\n"
                : $"Instruction:\n{instruction}\nInput:\n{input}\nResponse:\n";
            rows.Add(new AlpacaRow(prompt, output));
            if (rows.Count == count) break;
        }
        return rows;
    }
}
