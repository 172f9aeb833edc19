using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nuggets.Core.Pipeline;

/// <summary>Writes and reads manifest.json; writes go to a temporary file that is renamed, so readers never see half a file.</summary>
public static class ManifestWriter
{
    /// <summary>The JSON options of manifest files (camelCase, indented).</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Writes <paramref name="manifest"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="NuggetsException">The file cannot be written (exit code OutputError); nothing is left behind.</exception>
    public static void Write(Manifest manifest, string path)
    {
        var temporary = path + ".tmp-" + Environment.ProcessId;
        try
        {
            File.WriteAllText(temporary, JsonSerializer.Serialize(manifest, Json) + "\n");
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new NuggetsException($"Cannot write {path}: {e.Message}", ExitCodes.OutputError, e);
        }
    }

    /// <summary>Reads a manifest written by <see cref="Write"/>.</summary>
    public static Manifest Read(string path) =>
        JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty.");
}
