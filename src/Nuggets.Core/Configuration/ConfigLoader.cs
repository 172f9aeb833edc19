using Microsoft.Extensions.Configuration;

namespace Nuggets.Core.Configuration;

/// <summary>A loaded, validated configuration and the folder its relative paths were resolved against.</summary>
/// <param name="Options">The settings, paths made absolute.</param>
/// <param name="ConfigPath">The config file, or null when none was used.</param>
/// <param name="BaseDirectory">The config file's folder (or the working directory without one).</param>
public sealed record LoadedConfig(NuggetsOptions Options, string? ConfigPath, string BaseDirectory);

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
    /// <exception cref="NuggetsException">Unknown key, bad value, missing required setting (exit code Config).</exception>
    public static LoadedConfig Load(string? configPath, IReadOnlyDictionary<string, string?>? overrides = null, Action<NuggetsOptions>? commandLine = null)
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
        commandLine?.Invoke(options);
        ConfigValidator.Validate(options, source);
        return new LoadedConfig(options, configPath, baseDirectory);
    }

    private static void ResolvePaths(NuggetsOptions options, string baseDirectory)
    {
        string Resolve(string path) => Path.GetFullPath(path, baseDirectory);
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
