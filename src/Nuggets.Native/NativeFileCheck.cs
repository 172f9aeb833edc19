using Nuggets.Core.Output;

namespace Nuggets.Native;

/// <summary>The state of one pinned native file in the native folder.</summary>
/// <param name="FileName">File name, e.g. <c>libllama.v0.5.0.so</c>.</param>
/// <param name="Path">Where it was looked for.</param>
/// <param name="Status">Present with the pinned hash, missing, or different.</param>
public sealed record NativeFileState(string FileName, string Path, NativeFileStatus Status);

/// <summary>Outcome of checking one native file against its pinned SHA-256.</summary>
public enum NativeFileStatus
{
    /// <summary>Present, and its SHA-256 is the pinned one.</summary>
    Ok,
    /// <summary>Not in the folder.</summary>
    Missing,
    /// <summary>Present, but another build than the pinned one.</summary>
    Mismatched,
}

/// <summary>
/// Checks the native folder against the SHA-256 list pinned in eng/native/cpu/native-files.sha256
/// (embedded at build time), so a stale or foreign library is named before anything loads it.
/// </summary>
public static class NativeFileCheck
{
    /// <summary>The pinned file names and hashes of the CPU build.</summary>
    public static IReadOnlyDictionary<string, string> PinnedHashes { get; } = ReadPinned("native-files.sha256");

    /// <summary>The pinned file names and hashes of the CUDA build (plus libduckdb.so, which it shares).</summary>
    public static IReadOnlyDictionary<string, string> PinnedCudaHashes { get; } = ReadPinned("native-files-cuda.sha256")
        .Append(PinnedHashes.Single(p => p.Key == "libduckdb.so"))
        .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>Checks every pinned file in <paramref name="directory"/> (against the CUDA list when the folder holds the CUDA build).</summary>
    public static IReadOnlyList<NativeFileState> Check(string directory) =>
        (File.Exists(Path.Combine(directory, "libllama.cuda.v0.5.0.so")) ? PinnedCudaHashes : PinnedHashes)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p =>
            {
                var path = Path.Combine(directory, p.Key);
                if (!File.Exists(path)) return new NativeFileState(p.Key, path, NativeFileStatus.Missing);
                var actual = FileHash.Sha256Of(path);
                return new NativeFileState(p.Key, path, actual == p.Value ? NativeFileStatus.Ok : NativeFileStatus.Mismatched);
            })
            .ToArray();

    private static Dictionary<string, string> ReadPinned(string resource)
    {
        using var stream = typeof(NativeFileCheck).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded in Nuggets.Native.");
        using var reader = new StreamReader(stream);
        var pinned = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2) pinned[parts[1].TrimStart('*')] = parts[0];
        }
        return pinned;
    }
}
