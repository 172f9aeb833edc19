using Nuggets.Core.Data;
using Nuggets.Core.Output;

namespace Nuggets.Core.Configuration;

/// <summary>Checks values against what each setting allows, naming the key in every message.</summary>
internal static class ConfigValidator
{
    public static void Validate(NuggetsOptions o, string source)
    {
        var problems = new List<string>();
        void Require(bool ok, string message) { if (!ok) problems.Add(message); }

        Require(o.Dataset.Paths.Count > 0, "'dataset.path' (or 'dataset.paths') is not set: name the dataset file(s)");
        Require(o.Dataset.MaxRows is null or >= 1, $"'dataset.maxRows' is {o.Dataset.MaxRows}, but must be at least 1 (or unset for all rows)");
        Require(!string.IsNullOrWhiteSpace(o.Model.Path), "'model.path' is not set: name the GGUF model file");
        Require(o.Model.GpuLayers >= -1, $"'model.gpuLayers' is {o.Model.GpuLayers}, but must be -1 (all) or more");
        Require(o.Model.ContextLength >= 0, $"'model.contextLength' is {o.Model.ContextLength}, but must be 0 (automatic) or more");
        Require(System.Text.RegularExpressions.Regex.IsMatch(o.Model.CpuVariant, "^[a-z0-9_]+$"),
            $"'model.cpuVariant' is '{o.Model.CpuVariant}', but must be 'auto' or a ggml CPU variant name such as 'haswell'");
        Require(o.Model.BatchSize >= 64, $"'model.batchSize' is {o.Model.BatchSize}, but must be at least 64");
        Require(!string.IsNullOrWhiteSpace(o.Scoring.Template), "'scoring.template' is empty: use 'alpaca', 'model' or a llama.cpp chat template name");
        Require(o.Scoring.AnchorMaxTokens is null or >= 2, $"'scoring.anchorMaxTokens' is {o.Scoring.AnchorMaxTokens}, but must be at least 2 (or unset for no clip)");
        Require(o.Scoring.MaxExampleTokens is null or >= 2, $"'scoring.maxExampleTokens' is {o.Scoring.MaxExampleTokens}, but must be at least 2 (or unset)");
        Require(o.Anchors.Count >= 1, $"'anchors.count' is {o.Anchors.Count}, but must be at least 1");
        Require(o.Anchors.Method != AnchorMethod.File || !string.IsNullOrWhiteSpace(o.Anchors.Path), "'anchors.method' is 'file' but 'anchors.path' is not set");
        Require(o.Anchors.KmeansRestarts >= 1, $"'anchors.kmeansRestarts' is {o.Anchors.KmeansRestarts}, but must be at least 1");
        Require(o.Anchors.KmeansSample >= o.Anchors.Count, $"'anchors.kmeansSample' ({o.Anchors.KmeansSample}) must be at least 'anchors.count' ({o.Anchors.Count})");
        Require(o.Selection.Threshold is >= 0 and < 1, $"'selection.threshold' is {o.Selection.Threshold}, but must be in [0, 1) (kept: golden score > threshold)");
        Require(o.Selection.Top >= 1, $"'selection.top' is {o.Selection.Top}, but must be at least 1");
        Require(o.Selection.TopPercent is > 0 and <= 100, $"'selection.topPercent' is {o.Selection.TopPercent}, but must be in (0, 100]");
        Require(o.Selection.PilotAnchors >= 1, $"'selection.pilotAnchors' is {o.Selection.PilotAnchors}, but must be at least 1");
        Require(o.Cache.CommitPairs >= 1, $"'cache.commitPairs' is {o.Cache.CommitPairs}, but must be at least 1");
        Require(o.Shard.Count >= 1, $"'shard.count' is {o.Shard.Count}, but must be at least 1");
        Require(o.Shard.Index >= 0 && o.Shard.Index < Math.Max(1, o.Shard.Count), $"'shard.index' is {o.Shard.Index}, but must be in [0, {o.Shard.Count - 1}]");
        problems.AddRange(OutputsOverwritingInputs(o));
        problems.AddRange(StageValidator.Problems(o));

        if (problems.Count > 0)
            throw new NuggetsException($"{source}: {string.Join("; ", problems)}.", ExitCodes.Config);
    }

    /// <summary>
    /// Every way a run's writes (output files, the cache) would land on one of its inputs (datasets, anchors file,
    /// model) or on each other. Paths are compared with links resolved; a dataset glob is refused when it reads the
    /// output folder, since the outputs would become inputs of the next run.
    /// </summary>
    private static IEnumerable<string> OutputsOverwritingInputs(NuggetsOptions o)
    {
        var layout = new OutputLayout(o.Output.Directory, o.Output.Format);
        // hf:// inputs land in the Hugging Face cache, never where a run writes; they are checked as files once resolved.
        var inputs = o.Dataset.Paths.Where(p => !DatasetSource.IsGlob(p)).Select(p => ("dataset", p))
            .Concat(o.Anchors.Path is { } anchors ? [("anchors.path", anchors)] : [])
            .Concat(o.Model.Path is { } model ? [("model.path", model)] : [])
            .Where(i => !HubPath.IsHub(i.Item2))
            .Select(i => (i.Item1, Real: ProjectBoundary.RealPath(i.Item2)))
            .ToArray();
        var outputFolder = ProjectBoundary.RealPath(layout.Directory);
        var outputFiles = layout.Files.Select(ProjectBoundary.RealPath).ToArray();
        var cache = ProjectBoundary.RealPath(o.Cache.Path);
        foreach (var (key, input) in inputs)
        {
            if (input == outputFolder) yield return $"'output.directory' is the {key} file {input}: outputs never overwrite inputs";
            if (outputFiles.Contains(input)) yield return $"the output folder {outputFolder} would overwrite the {key} file {input}: choose another 'output.directory'";
            if (cache == input) yield return $"'cache.path' is the {key} file {input}: the cache never overwrites inputs";
        }
        if (outputFiles.Contains(cache)) yield return $"'cache.path' ({cache}) is one of the output files";
        if (o.Anchors.LockFile is { } lockFile && o.Anchors.Pin)
        {
            var anchorLock = ProjectBoundary.RealPath(lockFile);
            foreach (var (key, input) in inputs.Where(i => i.Real == anchorLock))
                yield return $"'anchors.lockFile' is the {key} file {input}: the lock never overwrites inputs";
            if (outputFiles.Contains(anchorLock) || anchorLock == cache || anchorLock == outputFolder)
                yield return $"'anchors.lockFile' ({anchorLock}) is an output file, the output folder or the cache";
        }
        foreach (var glob in o.Dataset.Paths.Where(p => DatasetSource.IsGlob(p) && !HubPath.IsHub(p)))
        {
            if (ProjectBoundary.RealPath(Path.GetDirectoryName(glob)!) == outputFolder)
                yield return $"the dataset glob {glob} reads the output folder: the outputs would become inputs";
        }
    }
}
