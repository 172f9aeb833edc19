using Microsoft.Extensions.Configuration;

namespace Nuggets.Core.Configuration;

/// <summary>A loaded, validated configuration and the folder its relative paths were resolved against.</summary>
/// <param name="Options">The settings, paths made absolute.</param>
/// <param name="ConfigPath">The config file, or null when none was used.</param>
/// <param name="BaseDirectory">The config file's folder (or the working directory without one).</param>
public sealed record LoadedConfig(NuggetsOptions Options, string? ConfigPath, string BaseDirectory)
{
    /// <summary>Pick the anchors again even when the lock file fits (<c>anchors --refresh</c>); a command's choice, not a setting.</summary>
    public bool RefreshAnchors { get; init; }

    /// <summary>
    /// The Hugging Face Hub inputs this run's <c>hf://</c> paths were resolved to (revision asked, commit found, files), for
    /// the manifest; null when the configuration named none.
    /// </summary>
    public IReadOnlyList<Pipeline.ManifestHubInput>? HubInputs { get; init; }
}

/// <summary>
/// Reads settings in the documented order — config file, then <c>NUGGETS__SECTION__KEY</c> environment
/// variables, then command-line overrides — and validates them up front: an unknown key or a bad value
/// names the key and says what is allowed, before any model or dataset is touched.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Prefix of environment variables that override settings (<c>NUGGETS__MODEL__THREADS=4</c>).</summary>
    public const string EnvironmentPrefix = "NUGGETS__";

    /// <summary>Loads and validates the configuration.</summary>
    /// <param name="configPath">The config file (null: none; every required setting must then come from overrides).</param>
    /// <param name="overrides">Settings as <c>section:key</c> → value (e.g. from <c>--set</c>), relative paths resolved like the file's.</param>
    /// <param name="commandLine">Typed command-line options, applied last (their paths must already be absolute).</param>
    /// <param name="allowWritesOutsideProject">
    /// Let the config file place the output folder or the cache outside its own folder (the user said so on the command line).
    /// </param>
    /// <exception cref="NuggetsException">Unknown key, bad value, missing required setting, a write aimed outside the project (exit code Config).</exception>
    public static LoadedConfig Load(
        string? configPath, IReadOnlyDictionary<string, string?>? overrides = null, Action<NuggetsOptions>? commandLine = null, bool allowWritesOutsideProject = false)
    {
        var builder = new ConfigurationBuilder();
        if (configPath is not null)
        {
            builder.AddJsonFile(configPath, optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        if (overrides is not null) builder.AddInMemoryCollection(overrides);

        IConfigurationRoot configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (Exception error) when (error is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new NuggetsException($"{configPath}: not valid JSON ({error.InnerException?.Message ?? error.Message}).", ExitCodes.Config);
        }

        var source = configPath ?? "settings";
        var options = ConfigBinder.Bind(configuration, source);
        var baseDirectory = configPath is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(configPath)!;
        ResolvePaths(options, baseDirectory);
        // The lock lives beside a config file; without one there is nowhere it belongs, so anchors are not pinned unless
        // anchors.lockFile names a place.
        var lockFile = options.Anchors.LockFile ?? (configPath is null ? null : AnchorLockName.For(configPath));
        options.Anchors.LockFile = lockFile is null ? null : Path.GetFullPath(lockFile, baseDirectory);
        var fromFile = WritesFromFile(configuration, options);
        commandLine?.Invoke(options);
        if (configPath is not null && !allowWritesOutsideProject)
            KeepWritesInsideProject(fromFile, options, baseDirectory, configPath);
        ConfigValidator.Validate(options, source);
        return new LoadedConfig(options, configPath, baseDirectory);
    }

    private static (string Key, string Path)[] WritesOf(NuggetsOptions options) =>
        [("output.directory", options.Output.Directory), ("cache.path", options.Cache.Path), .. options.Anchors.LockFile is { } lockFile ? [("anchors.lockFile", lockFile)] : Array.Empty<(string, string)>()];

    /// <summary>The write locations whose value comes from the config file or its defaults (not the environment or --set).</summary>
    private static (string Key, string Path)[] WritesFromFile(IConfigurationRoot configuration, NuggetsOptions options) =>
        WritesOf(options).Where(w => FromFileOrDefault(configuration, w.Key.Replace('.', ':'))).ToArray();

    /// <summary>
    /// Refuses an output folder or cache that the config file (or its default, through a symbolic link) places outside
    /// the config file's folder. Values from the environment, <c>--set</c> or typed options are the user's own choice.
    /// </summary>
    private static void KeepWritesInsideProject((string Key, string Path)[] fromFile, NuggetsOptions options, string baseDirectory, string configPath)
    {
        var outside = WritesOf(options)
            .Where(w => fromFile.Contains(w) && !ProjectBoundary.IsInside(w.Path, baseDirectory))
            .Select(w => $"'{w.Key}' ({ProjectBoundary.RealPath(w.Path)}) is outside the project folder {baseDirectory}")
            .ToArray();
        if (outside.Length > 0)
            throw new NuggetsException(
                $"{configPath}: {string.Join("; ", outside)}. A config file may only write inside its own folder; pass --output/--cache, or --allow-outside-project if you trust this config.",
                ExitCodes.Config);
    }

    private static bool FromFileOrDefault(IConfigurationRoot configuration, string key)
    {
        var winner = configuration.Providers.Reverse().FirstOrDefault(p => p.TryGet(key, out _));
        return winner is null or Microsoft.Extensions.Configuration.Json.JsonConfigurationProvider;
    }

    private static void ResolvePaths(NuggetsOptions options, string baseDirectory)
    {
        // hf:// inputs are not paths on this machine; the CLI turns them into cached files before the run.
        string Resolve(string path) => HubPath.IsHub(path) ? path : Path.GetFullPath(path, baseDirectory);
        var datasets = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Dataset.Path)) datasets.Add(Resolve(options.Dataset.Path));
        datasets.AddRange(options.Dataset.Paths.Where(p => !string.IsNullOrWhiteSpace(p)).Select(Resolve));
        options.Dataset.Paths = datasets;
        options.Dataset.Path = null;
        if (!string.IsNullOrWhiteSpace(options.Model.Path)) options.Model.Path = Resolve(options.Model.Path);
        if (!string.IsNullOrWhiteSpace(options.Anchors.Path)) options.Anchors.Path = Resolve(options.Anchors.Path);
        options.Cache.Path = Resolve(options.Cache.Path);
        options.Output.Directory = Resolve(options.Output.Directory);
        foreach (var stage in options.Stages) stage.ResolvePaths(Resolve);
    }
}
