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
}
