namespace Nuggets.Core.Configuration;

/// <summary>The default name of the anchor lock file: beside the config file and named after it.</summary>
public static class AnchorLockName
{
    /// <summary>The lock file's name when no config file is used (it lives in the working directory).</summary>
    public const string WithoutConfig = "nuggets.anchors.lock.json";

    /// <summary>
    /// <c>nuggets.config.json</c> → <c>nuggets.anchors.lock.json</c>, <c>alpaca.config.json</c> →
    /// <c>alpaca.anchors.lock.json</c>, <c>my.json</c> → <c>my.anchors.lock.json</c>; beside the config file. Two configs
    /// in one folder get two lock files, so one never moves the other's anchors.
    /// </summary>
    public static string For(string? configPath)
    {
        if (configPath is null) return WithoutConfig;
        var name = Path.GetFileName(configPath);
        foreach (var suffix in new[] { ".json", ".config" })
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) name = name[..^suffix.Length];
        }
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, name + ".anchors.lock.json");
    }
}
