using System.Text.Json;

namespace Nuggets.Core.Configuration;

/// <summary>Finds <c>nuggets.config.json</c>: the path given, else the one in the current directory.</summary>
public static class ConfigFile
{
    /// <summary>The default file name.</summary>
    public const string DefaultName = "nuggets.config.json";

    /// <summary>Returns the full path of the config file to use, or null when none was given and none exists here.</summary>
    /// <exception cref="NuggetsException">An explicitly given file does not exist.</exception>
    public static string? Resolve(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            var full = Path.GetFullPath(explicitPath);
            return File.Exists(full) ? full : throw new NuggetsException($"Config file {full} does not exist.", ExitCodes.Config);
        }
        var local = Path.GetFullPath(DefaultName);
        return File.Exists(local) ? local : null;
    }

    /// <summary>
    /// Reads one string setting (e.g. <c>model.path</c>) straight from a config file, resolved against its folder,
    /// for commands that need it without the rest of the configuration being complete (doctor, cache).
    /// </summary>
    /// <exception cref="NuggetsException">The file is not valid JSON.</exception>
    public static string? ReadPath(string configPath, string section, string key) =>
        Read(configPath, section, key, JsonValueKind.String) is { } value
            ? HubPath.IsHub(value) ? value : Path.GetFullPath(value, Path.GetDirectoryName(configPath)!)
            : null;

    /// <summary>
    /// Reads one string or number setting (e.g. <c>model.threads</c>, <c>"auto"</c> or <c>4</c>) as its text, for
    /// commands that need it without the rest of the configuration being complete (doctor).
    /// </summary>
    /// <exception cref="NuggetsException">The file is not valid JSON.</exception>
    public static string? ReadValue(string configPath, string section, string key) =>
        Read(configPath, section, key, JsonValueKind.String, JsonValueKind.Number);

    private static string? Read(string configPath, string section, string key, params JsonValueKind[] kinds)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!document.RootElement.TryGetProperty(section, out var node) || node.ValueKind != JsonValueKind.Object
                || !node.TryGetProperty(key, out var value) || !kinds.Contains(value.ValueKind))
                return null;
            return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        }
        catch (JsonException error)
        {
            throw new NuggetsException($"{configPath}: not valid JSON ({error.Message}).", ExitCodes.Config);
        }
    }
}
