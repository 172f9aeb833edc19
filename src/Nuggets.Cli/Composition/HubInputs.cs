using Nuggets.Cli.Commands;
using Nuggets.Core;
using Nuggets.Core.Configuration;
using Nuggets.Core.Pipeline;
using Nuggets.Hub;

namespace Nuggets.Cli.Composition;

/// <summary>
/// Replaces every <c>hf://</c> path of a loaded configuration (model, datasets, anchors file, stage models) with files of
/// the local Hugging Face cache, downloading what is missing, before anything reads them; the pipeline then sees only
/// local files, and the manifest gets what each path resolved to.
/// </summary>
internal static class HubInputs
{
    /// <summary><paramref name="config"/> with its Hub paths resolved (itself when it has none).</summary>
    public static LoadedConfig Resolve(LoadedConfig config, bool quiet, CancellationToken cancel)
    {
        var options = config.Options;
        var named = Named(options).Where(n => HubPath.IsHub(n.Path)).ToArray();
        if (named.Length == 0) return config;

        var settings = HubSettings.FromEnvironment(Environment.GetEnvironmentVariable);
        var resolved = new Dictionary<(string Setting, string Uri), ResolvedHubInput>();
        ProgressDisplay.RunDownloads(quiet, progress =>
        {
            // Warnings show even with --quiet, as the tool's other warnings do.
            using var resolver = new HubResolver(settings, progress, notice: quiet ? null : Console.Error.WriteLine, warning: Console.Error.WriteLine);
            var inputs = named.Select(n => (n.Path, n.Setting)).Distinct().ToArray();
            var results = resolver.ResolveAllAsync(inputs, cancel).GetAwaiter().GetResult();
            foreach (var (input, result) in inputs.Zip(results)) resolved[(input.Setting, input.Path)] = result;
            return 0;
        });

        string One(string setting, string path)
        {
            if (!HubPath.IsHub(path)) return path;
            var files = resolved[(setting, path)].LocalPaths;
            return files.Count == 1
                ? files[0]
                : throw new NuggetsException($"'{setting}' is {path}, which matches {files.Count} files; it must name one.", ExitCodes.Config);
        }

        options.Dataset.Paths = options.Dataset.Paths.SelectMany(p => HubPath.IsHub(p) ? resolved[("dataset.paths", p)].LocalPaths : [p]).ToList();
        if (options.Model.Path is { } model) options.Model.Path = One("model.path", model);
        if (options.Anchors.Path is { } anchors) options.Anchors.Path = One("anchors.path", anchors);
        foreach (var (stage, index) in options.Stages.Select((s, i) => (s, i)))
        {
            if (stage is ModelStageOptions { Model: { } stageModel } withModel) withModel.Model = One($"stages[{index}].model", stageModel);
        }
        return config with { HubInputs = resolved.Values.Select(r => r.Manifest).ToArray() };
    }

    /// <summary>Every path setting with the name the manifest and messages use for it.</summary>
    private static IEnumerable<(string Setting, string Path)> Named(NuggetsOptions options)
    {
        foreach (var path in options.Dataset.Paths) yield return ("dataset.paths", path);
        if (options.Model.Path is { } model) yield return ("model.path", model);
        if (options.Anchors.Path is { } anchors) yield return ("anchors.path", anchors);
        foreach (var (stage, index) in options.Stages.Select((s, i) => (s, i)))
        {
            if (stage is ModelStageOptions { Model: { } stageModel }) yield return ($"stages[{index}].model", stageModel);
        }
    }
}
