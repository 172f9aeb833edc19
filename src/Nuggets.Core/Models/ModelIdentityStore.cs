using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nuggets.Core.Models;

/// <summary>
/// <c>model-identity.json</c> beside the score cache: the SHA-256 of each model file last hashed, keyed by its full
/// path and <see cref="FileStamp"/>. A plain file rather than a table in the cache, because the hash is needed before
/// the cache is opened (the model is loaded first, and <c>anchors</c> and <c>cache prune</c> open no cache for
/// writing) and must not wait on another run's cache lock. It only ever saves work: a store that is missing, damaged,
/// or cannot be written means the file is hashed, as if it were new.
/// </summary>
public sealed class ModelIdentityStore(string path)
{
    /// <summary>The store's file name, in the cache's folder.</summary>
    public const string FileName = "model-identity.json";

    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The store's file.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The store beside a score cache file.</summary>
    public static ModelIdentityStore BesideCache(string cachePath) =>
        new(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(cachePath))!, FileName));

    /// <summary>The SHA-256 stored for <paramref name="modelPath"/> with exactly this <paramref name="stamp"/>, else null.</summary>
    public string? Find(string modelPath, FileStamp stamp)
    {
        var entry = Read().FirstOrDefault(e => e.Path == modelPath);
        return entry is not null && entry.Stamp == stamp ? entry.Sha256 : null;
    }

    /// <summary>Records the hash of <paramref name="modelPath"/> at <paramref name="stamp"/>, replacing what was stored for that path.</summary>
    /// <returns>False when the store could not be written (the next run hashes again).</returns>
    public bool Save(string modelPath, FileStamp stamp, string sha256)
    {
        // Entries of files that are gone are dropped, so the store stays as small as the set of models in use.
        var entries = Read().Where(e => e.Path != modelPath && File.Exists(e.Path)).Append(Entry.Of(modelPath, stamp, sha256)).ToArray();
        // Written whole to a temporary file and renamed over the store: concurrent runs may each lose the other's
        // entry (so hash again later), but no reader ever sees half a file.
        var temporary = $"{Path}.tmp-{Environment.ProcessId}";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            File.WriteAllText(temporary, JsonSerializer.Serialize(new Document(FormatVersion, entries), Json) + "\n");
            File.Move(temporary, Path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
            return false;
        }
    }

    private IReadOnlyList<Entry> Read()
    {
        try
        {
            var document = JsonSerializer.Deserialize<Document>(File.ReadAllText(Path), Json);
            return document is { Version: FormatVersion, Models: { } models } ? models.Where(e => e.IsComplete).ToArray() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    }

    private sealed record Document(int Version, Entry[]? Models);

    private sealed record Entry(string? Path, long Size, long ModifiedNs, long ChangedNs, ulong Inode, string? Sha256)
    {
        [JsonIgnore]
        public FileStamp Stamp => new(Size, ModifiedNs, ChangedNs, Inode);

        [JsonIgnore]
        public bool IsComplete => Path is not null && Sha256 is { Length: 64 };

        public static Entry Of(string path, FileStamp s, string sha256) => new(path, s.Size, s.ModifiedNanoseconds, s.ChangedNanoseconds, s.Inode, sha256);
    }
}
