using System.CommandLine;
using System.Globalization;
using Nuggets.Core;
using Nuggets.Core.Configuration;
using Nuggets.Core.Pipeline;

namespace Nuggets.Cli.Commands;

/// <summary>The options every pipeline command shares, and how they override the configuration.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Config { get; } = new("--config", "-c") { Description = "Config file (default: ./nuggets.config.json when present)." };
    public Option<string[]> Dataset { get; } = new("--dataset", "-d") { Description = "Dataset file(s) or glob(s); replaces dataset.path(s).", AllowMultipleArgumentsPerToken = true };
    public Option<string?> Model { get; } = new("--model", "-m") { Description = "GGUF model file." };
    public Option<string?> Anchors { get; } = new("--anchors") { Description = "Anchors: random:N, kmeans:K, or an anchor file." };
    public Option<double?> Threshold { get; } = new("--threshold") { Description = "Select golden score > T." };
    public Option<int?> Top { get; } = new("--top") { Description = "Select the best K." };
    public Option<double?> TopPercent { get; } = new("--top-percent") { Description = "Select the best P percent." };
    public Option<bool> NoPrune { get; } = new("--no-prune") { Description = "Score every anchor even in threshold mode (exact golden scores for every row; what score does without --prune)." };
    public Option<bool> Prune { get; } = new("--prune") { Description = "score: stop scoring a row once its threshold decision is certain (faster; a pruned row's golden_score is a lower bound, score_exact false)." };
    public Option<string?> Output { get; } = new("--output", "-o") { Description = "Output folder." };
    public Option<string?> Cache { get; } = new("--cache") { Description = "Score cache file." };
    public Option<string?> Shard { get; } = new("--shard") { Description = "Score only shard i of n (i/n), by content hash." };
    public Option<string?> Threads { get; } = new("--threads") { Description = "CPU threads: auto (default: free physical cores) or a number." };
    public Option<string[]> Set { get; } = new("--set") { Description = "Any setting as key=value, e.g. scoring.bosPolicy=symmetric (repeatable)." };
    public Option<bool> Json { get; } = new("--json") { Description = "Print the manifest as JSON instead of a summary." };
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No progress output." };
    public Option<bool> AllowOutsideProject { get; } = new("--allow-outside-project") { Description = "Let the config file put outputs or the cache outside its own folder." };
    public Option<bool> NoReport { get; } = new("--no-report") { Description = "Do not write report.html beside the selection." };
    public Option<bool> Refresh { get; } = new("--refresh") { Description = "Pick the anchors again even when the lock file fits, and pin the new ones (every pair is then rescored)." };
    public Option<string?> DependencyFile { get; } = new("--dependency-file") { Description = "After a successful run, write the files it read (config, datasets, model, anchor file, stage models) to this file, one per line, for build systems (MSBuild's Inputs)." };

    public void AddTo(Command command, PipelineMode mode)
    {
        foreach (var option in new Option[] { Config, Dataset, Model, Anchors, Threshold, Top, TopPercent, NoPrune, Output, Cache, Shard, Threads, Set, Json, Quiet, AllowOutsideProject, DependencyFile })
            command.Options.Add(option);
        if (mode == PipelineMode.Score) command.Options.Add(Prune);
        if (mode == PipelineMode.Anchors) command.Options.Add(Refresh);
    }

    /// <summary>
    /// Loads the configuration with this command line applied on top (file → environment → --set → options).
    /// Pruning belongs to selection: <c>run</c> and <c>select</c> follow <c>selection.prune</c> (on by default),
    /// while <c>score</c> scores every anchor of every row unless <c>--prune</c> asks for pruning.
    /// </summary>
    public LoadedConfig Load(ParseResult parsed, PipelineMode mode)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in parsed.GetValue(Set) ?? [])
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) throw new NuggetsException($"--set '{pair}' must be key=value, e.g. selection.threshold=0.8.", ExitCodes.Usage);
            overrides[pair[..equals].Trim().Replace('.', ':')] = pair[(equals + 1)..];
        }

        var loaded = ConfigLoader.Load(ConfigFile.Resolve(parsed.GetValue(Config)), overrides, options =>
        {
            string Full(string path) => HubPath.IsHub(path) ? path : Path.GetFullPath(path);
            if (parsed.GetValue(Dataset) is { Length: > 0 } datasets) options.Dataset.Paths = datasets.Select(Full).ToList();
            if (parsed.GetValue(Model) is { } model) options.Model.Path = Full(model);
            if (parsed.GetValue(Anchors) is { } anchors) ApplyAnchors(anchors, options.Anchors);
            if (parsed.GetValue(Threshold) is { } threshold) (options.Selection.Mode, options.Selection.Threshold) = (SelectionMode.Threshold, threshold);
            if (parsed.GetValue(Top) is { } top) (options.Selection.Mode, options.Selection.Top) = (SelectionMode.Top, top);
            if (parsed.GetValue(TopPercent) is { } percent) (options.Selection.Mode, options.Selection.TopPercent) = (SelectionMode.TopPercent, percent);
            if (parsed.GetValue(Prune) && parsed.GetValue(NoPrune))
                throw new NuggetsException("--prune and --no-prune contradict each other; give one.", ExitCodes.Usage);
            if (mode == PipelineMode.Score)
            {
                options.Selection.Prune = parsed.GetValue(Prune);
                if (options.Selection.Prune && options.Selection.Mode != SelectionMode.Threshold)
                    throw new NuggetsException($"--prune applies to threshold selection only, but selection.mode is '{Spelling.Of(options.Selection.Mode)}'.", ExitCodes.Usage);
            }
            else if (parsed.GetValue(NoPrune))
            {
                options.Selection.Prune = false;
            }
            if (parsed.GetValue(Output) is { } output) options.Output.Directory = Full(output);
            if (parsed.GetValue(Cache) is { } cache) options.Cache.Path = Full(cache);
            if (parsed.GetValue(Shard) is { } shard) (options.Shard.Index, options.Shard.Count) = Core.Pipeline.Shard.Parse(shard);
            if (parsed.GetValue(Threads) is { } threads) options.Model.Threads = ParseThreads(threads);
        }, parsed.GetValue(AllowOutsideProject));
        return mode == PipelineMode.Anchors && parsed.GetValue(Refresh) ? loaded with { RefreshAnchors = true } : loaded;
    }

    // A bad count is a bad model.threads whichever way it came, so it has the config exit code and names the setting.
    private static ThreadCount ParseThreads(string value) =>
        ThreadCount.TryParse(value, out var threads)
            ? threads
            : throw new NuggetsException($"--threads '{value}': 'model.threads' must be {ThreadCount.Allowed}.", ExitCodes.Config);

    private static void ApplyAnchors(string value, AnchorOptions anchors)
    {
        var colon = value.IndexOf(':');
        var prefix = colon > 0 ? value[..colon] : "";
        // random:N and kmeans:K pick from the dataset; anything else (file:… included) is a path to an anchors file.
        if (Spelling.TryParse<AnchorMethod>(prefix, out var method) && method is AnchorMethod.Random or AnchorMethod.KMeans)
        {
            if (!int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
                throw new NuggetsException($"--anchors '{value}': the count after '{prefix}:' must be a whole number of at least 1.", ExitCodes.Usage);
            (anchors.Method, anchors.Count) = (method, count);
        }
        else
        {
            (anchors.Method, anchors.Path) = (AnchorMethod.File, HubPath.IsHub(value) ? value : Path.GetFullPath(value));
        }
    }
}
