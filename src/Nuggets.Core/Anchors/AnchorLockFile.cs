using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nuggets.Core.Anchors;

/// <summary>Reads and writes anchor lock files.</summary>
public static class AnchorLockFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        // A file people read in diffs: quotes and backticks stay as they are (it is never embedded in HTML).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads the lock at <paramref name="path"/>; null when there is none.</summary>
    /// <exception cref="NuggetsException">The file exists but is not a lock this version can read (exit code Config).</exception>
    public static AnchorLock? Read(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) return null;
        AnchorLock? read;
        try
        {
            read = JsonSerializer.Deserialize<AnchorLock>(File.ReadAllText(path), Json);
            if (read?.Sketch is not null) _ = RowSketch.FromText(read.Sketch);
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, e.Message);
        }
        if (read is null) throw Unreadable(path, "it is empty");
        // A missing key binds as null whatever the declared type says.
        if (read.Choice is null || read.Anchors is null || read.Sketch is null) throw Unreadable(path, "'choice', 'anchors' or 'sketch' is missing");
        if (read.Version != AnchorLock.CurrentVersion) throw Unreadable(path, $"it has format version {read.Version}; this tool reads version {AnchorLock.CurrentVersion}");
        if (read.Anchors.Count == 0 || read.Anchors.Any(h => h is not { Length: 64 }) || read.Anchors.Distinct(StringComparer.Ordinal).Count() != read.Anchors.Count)
            throw Unreadable(path, "'anchors' must list distinct 64-digit content hashes");
        return read;
    }

    /// <summary>
    /// Writes <paramref name="anchorLock"/> to <paramref name="path"/> (a run writes it to a file staged with its outputs,
    /// renamed into place with them).
    /// </summary>
    /// <exception cref="NuggetsException">The file cannot be written (exit code OutputError).</exception>
    public static void Write(AnchorLock anchorLock, string path)
    {
        try
        {
            File.WriteAllText(path, JsonSerializer.Serialize(anchorLock, Json) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NuggetsException($"Cannot write the anchor lock file {path}: {e.Message}", ExitCodes.OutputError, e);
        }
    }

    private static NuggetsException Unreadable(string path, string why) => new(
        $"{path}: not a readable anchor lock file ({why}). Fix or delete it, or run `dotnet nuggets anchors --refresh` to pick the anchors again.",
        ExitCodes.Config);
}
