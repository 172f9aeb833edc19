using System.Text.Json;
using Nuggets.Core.Data;
using Nuggets.Core.Prompting;

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
            var text = AlpacaTemplate.Format(new Example(rows.Count, root.GetProperty("instruction").GetString()!,
                root.TryGetProperty("input", out var i) ? i.GetString()! : "", root.GetProperty("output").GetString()!));
            rows.Add(new AlpacaRow(text.Prompt, text.Response));
            if (rows.Count == count) break;
        }
        return rows;
    }
}
