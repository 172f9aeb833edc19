namespace Nuggets.Core.Configuration;

/// <summary>The default name of the anchor lock file: beside the config file and named after it.</summary>
public static class AnchorLockName
{
    /// <summary>
    /// <c>nuggets.config.json</c> → <c>nuggets.anchors.lock.json</c>, <c>alpaca.config.json</c> →
    /// <c>alpaca.anchors.lock.json</c>, <c>my.json</c> → <c>my.anchors.lock.json</c>; beside the config file, so configs
    /// with different names in one folder get different lock files (<c>a.json</c> and <c>a.config.json</c> share one).
    /// </summary>
    public static string For(string configPath)
    {
        ArgumentNullException.ThrowIfNull(configPath);
        var name = Path.GetFileName(configPath);
        foreach (var suffix in new[] { ".json", ".config" })
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) name = name[..^suffix.Length];
        }
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, name + ".anchors.lock.json");
    }
}
