namespace Nuggets.Core.Cpu;

/// <summary>Reads a /proc or /sys file, or null when it is not there or not readable (other systems, locked-down containers).</summary>
internal static class SystemFile
{
    public static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }
}
