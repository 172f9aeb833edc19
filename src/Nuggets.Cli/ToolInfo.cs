using System.Reflection;

namespace Nuggets.Cli;

/// <summary>Facts about this build of the tool.</summary>
internal static class ToolInfo
{
    /// <summary>The informational version (e.g. <c>0.1.0+3f2c1ab</c>).</summary>
    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
