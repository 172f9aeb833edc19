using Nuggets.Core.Configuration;

namespace Nuggets.Core.Pipeline;

/// <summary>
/// The files a finished run read — config file, dataset files, scoring model, anchor file, LIFT stage models — for
/// build systems that must rerun it when one of them changes: the MSBuild targets read them back as Inputs
/// (docs/msbuild.md, "Incremental builds"), as Grpc.Tools does with protoc's dependency files.
/// </summary>
public static class RunInputs
{
    /// <summary>The absolute paths of every file <paramref name="manifest"/>'s run read, each once, in a stable order.</summary>
    public static IReadOnlyList<string> Of(LoadedConfig config, Manifest manifest)
    {
        var files = new List<string>();
        if (config.ConfigPath is { } configPath) files.Add(configPath);
        files.AddRange(manifest.Inputs.Select(input => input.Path));
        files.Add(manifest.Model.Path);
        // A file of anchors is read; picked anchors are written (anchors.parquet) and only their lock file is read.
        if (manifest.Anchors is { Method: AnchorMethod.File, Path: { } anchors }) files.Add(anchors);
        if (manifest.Anchors.Lock is { } anchorLock) files.Add(anchorLock.Path);
        files.AddRange(config.Options.Stages.OfType<ModelStageOptions>().Select(stage => stage.Model).OfType<string>());
        return files.Select(file => Path.GetFullPath(file)).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Writes <paramref name="files"/> to <paramref name="path"/>, one per line, whole or not at all (a temporary file
    /// renamed into place), creating its folder.
    /// </summary>
    /// <exception cref="NuggetsException">It cannot be written (exit code OutputError).</exception>
    public static void Write(string path, IReadOnlyList<string> files)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(temporary, string.Concat(files.Select(file => file + "\n")));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (IOException) { /* nothing was written */ }
            throw new NuggetsException($"Cannot write the dependency file {path}: {error.Message}", ExitCodes.OutputError);
        }
    }
}
