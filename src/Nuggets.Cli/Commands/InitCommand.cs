using System.CommandLine;
using Nuggets.Core;
using Nuggets.Core.Configuration;

namespace Nuggets.Cli.Commands;

/// <summary><c>dotnet nuggets init</c>: writes a commented starter <c>nuggets.config.json</c>.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var path = new Option<string>("--path") { Description = "Where to write it.", DefaultValueFactory = _ => ConfigFile.DefaultName };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file." };
        var dataset = new Option<string?>("--dataset") { Description = "Dataset to put in it." };
        var model = new Option<string?>("--model") { Description = "GGUF model to put in it." };
        var command = new Command("init", "Write a commented starter nuggets.config.json.") { path, force, dataset, model };
        command.SetAction(parsed =>
        {
            var target = Path.GetFullPath(parsed.GetValue(path)!);
            if (File.Exists(target) && !parsed.GetValue(force))
                throw new NuggetsException($"{target} already exists; pass --force to overwrite it.", ExitCodes.OutputError);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, Starter(parsed.GetValue(dataset) ?? "data/train.parquet", parsed.GetValue(model) ?? "models/model.gguf"));
            Console.WriteLine($"wrote {target}; check it with: dotnet nuggets doctor --config {target}");
            return ExitCodes.Success;
        });
        return command;
    }

    // Comments are allowed: the configuration reader skips them (Microsoft.Extensions.Configuration.Json).
    private static string Starter(string dataset, string model) => $$"""
        {
          // Editors validate this file against the schema shipped with the tool (docs/nuggets.config.schema.json).
          // Relative paths are relative to this file. NUGGETS__SECTION__KEY environment variables and
          // command-line options override these settings.
          "dataset": {
            "path": "{{dataset}}",          // Parquet, JSONL, JSON array or CSV; "paths": [...] for several files or globs
            "columns": { "instruction": "instruction", "input": "input", "output": "output" }
            // chat rows: "columns": { "messages": "messages" }
          },
          "model": {
            "path": "{{model}}",            // GGUF; scored through llama.cpp
            "gpuLayers": -1,                // -1: all layers on the GPU when one is found; 0: CPU only
            "threads": "auto"               // auto: free physical cores at each run; or a number
          },
          "scoring": {
            "template": "alpaca",           // the reference prompt format
            "bosPolicy": "reference"        // "symmetric" puts BOS before zero-shot anchors too
            // "anchorMaxTokens": 200       // clip anchors like the reference implementation
          },
          "anchors": {
            "method": "kmeans",             // kmeans (the paper's best) | random | file
            "count": 100,                   // the paper's KMeans-100
            "seed": 42
            // picked anchors are pinned in nuggets.anchors.lock.json: commit it; `dotnet nuggets anchors --refresh` re-picks
          },
          "selection": {
            "mode": "threshold",            // threshold | top | topPercent
            "threshold": 0.85,              // keep golden score > 0.85: the paper's headline subset (about 1% of Alpaca)
            "prune": true                   // run/select: stop scoring a candidate once its decision is certain (score: --prune)
          },
          "cache": { "path": ".nuggets/cache.duckdb" },
          "output": { "directory": "out", "format": "parquet" }
        }

        """;
}
