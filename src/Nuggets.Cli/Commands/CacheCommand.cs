using System.CommandLine;
using System.Text.Json;
using Nuggets.Core;
using Nuggets.Core.Configuration;
using Nuggets.DuckDb.Cache;
using Spectre.Console;

namespace Nuggets.Cli.Commands;

/// <summary><c>dotnet nuggets cache stats|merge|prune|upgrade</c>: look after the score cache.</summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var command = new Command("cache", "Inspect, merge and prune score caches.");
        command.Subcommands.Add(Stats());
        command.Subcommands.Add(Merge());
        command.Subcommands.Add(Prune());
        command.Subcommands.Add(Upgrade());
        return command;
    }

    private static Command Stats()
    {
        var cache = CacheOption();
        var config = ConfigOption();
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("stats", "Entry counts per scorer fingerprint.") { cache, config, json };
        command.SetAction(parsed =>
        {
            var path = CachePath(parsed.GetValue(cache), parsed.GetValue(config));
            using var opened = ScoreCache.Open(path, new ScoreCacheOptions(ReadOnly: true));
            var stats = opened.Stats();
            if (parsed.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(stats.Select(s => new { s.Fingerprint, s.ZeroShot, s.Pairs }), new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumn("fingerprint").AddColumn(new TableColumn("zero-shot").RightAligned()).AddColumn(new TableColumn("pairs").RightAligned());
            foreach (var s in stats) table.AddRow(s.Fingerprint, $"{s.ZeroShot:N0}", $"{s.Pairs:N0}");
            AnsiConsole.MarkupLineInterpolated($"[bold]{path}[/]");
            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Merge()
    {
        var inputs = new Argument<string[]>("caches") { Description = "Cache files to merge (e.g. one per shard).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "The merged cache (created, or added to).", Required = true };
        var command = new Command("merge", "Merge caches from shards or machines into one.") { inputs, output };
        command.SetAction(parsed =>
        {
            var result = CacheMerger.Merge(parsed.GetValue(inputs)!.Select(Path.GetFullPath).ToArray(), Path.GetFullPath(parsed.GetValue(output)!));
            Console.WriteLine($"merged: {result.ZeroShotAdded:N0} zero-shot and {result.PairsAdded:N0} pair entries added" +
                (result.Conflicts > 0 ? $"; {result.Conflicts:N0} keys had different sums in different caches (kept the first)" : ""));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Prune()
    {
        var cache = CacheOption();
        var config = ConfigOption();
        var keep = new Option<string?>("--keep") { Description = "Fingerprint to keep (default: the configured model's)." };
        var command = new Command("prune", "Drop entries of every other scorer fingerprint.") { cache, config, keep };
        command.SetAction(parsed =>
        {
            var configPath = ConfigFile.Resolve(parsed.GetValue(config));
            var fingerprint = parsed.GetValue(keep) ?? RealServices.Fingerprint(ConfigLoader.Load(configPath).Options).Id;
            var path = CachePath(parsed.GetValue(cache), parsed.GetValue(config));
            using var opened = ScoreCache.Open(path);
            var result = opened.Prune(fingerprint);
            Console.WriteLine($"kept fingerprint {fingerprint}; removed {result.ZeroShotRemoved:N0} zero-shot and {result.PairsRemoved:N0} pair entries");
            return ExitCodes.Success;
        });
        return command;
    }

    // Any open for writing upgrades an old cache; this does only that, for a cache that `stats` (read-only) refuses.
    private static Command Upgrade()
    {
        var cache = CacheOption();
        var config = ConfigOption();
        var command = new Command("upgrade", "Upgrade a cache written by an earlier version to the current format, in place.") { cache, config };
        command.SetAction(parsed =>
        {
            var path = CachePath(parsed.GetValue(cache), parsed.GetValue(config));
            if (!File.Exists(path)) throw new NuggetsException($"Score cache {path} does not exist.", ExitCodes.CacheError);
            using var opened = CacheConnection.Open(path);
            Console.WriteLine(opened.UpgradedFromVersion is { } from
                ? $"upgraded {path} from schema version {from} to {CacheConnection.SchemaVersion}"
                : $"{path} is already schema version {CacheConnection.SchemaVersion}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<string?> CacheOption() => new("--cache") { Description = "Cache file (default: the config's cache.path)." };

    private static Option<string?> ConfigOption() => new("--config", "-c") { Description = "Config file (default: ./nuggets.config.json)." };

    private static string CachePath(string? explicitPath, string? configPath)
    {
        if (explicitPath is not null) return Path.GetFullPath(explicitPath);
        var config = ConfigFile.Resolve(configPath)
            ?? throw new NuggetsException($"No cache given: pass --cache, or run where {ConfigFile.DefaultName} is.", ExitCodes.Usage);
        // Only cache.path matters here; the rest of the file need not be complete.
        return ConfigFile.ReadPath(config, "cache", "path") ?? Path.GetFullPath(new CacheOptions().Path, Path.GetDirectoryName(config)!);
    }
}
