using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Datasets;

/// <summary>One concrete file of a dataset and the format it is read as.</summary>
internal sealed record ResolvedFile(string Path, DatasetFormat Format);

/// <summary>Expands a dataset's paths and globs into files in a deterministic order.</summary>
internal static class DatasetFiles
{
    /// <summary>
    /// Each entry in the given order; a glob expands to its matches sorted ordinally, so row numbers do not depend
    /// on directory order. A path that does not exist, or a glob that matches nothing, is an error.
    /// </summary>
    public static IReadOnlyList<ResolvedFile> Resolve(DatasetSource source, DuckDbSession session)
    {
        if (source.Paths.Count == 0)
            throw new NuggetsException("The dataset names no files.", ExitCodes.DatasetNotFound);
        var files = new List<ResolvedFile>();
        foreach (var entry in source.Paths)
        {
            var full = Path.GetFullPath(entry);
            if (!DatasetSource.IsGlob(entry))
            {
                if (!File.Exists(full))
                    throw new NuggetsException($"Dataset file not found: {full}", ExitCodes.DatasetNotFound);
                files.Add(new ResolvedFile(full, FormatOf(full, source.Format)));
                continue;
            }
            var matches = Glob(session, full);
            if (matches.Count == 0)
                throw new NuggetsException($"No dataset file matches {full}", ExitCodes.DatasetNotFound);
            files.AddRange(matches.Select(m => new ResolvedFile(m, FormatOf(m, source.Format))));
        }
        return files;
    }

    /// <summary>The format of a file: the one configured, or by extension.</summary>
    public static DatasetFormat FormatOf(string path, DatasetFormat configured)
    {
        if (configured != DatasetFormat.Auto) return configured;
        var name = path.ToLowerInvariant();
        if (name.EndsWith(".parquet", StringComparison.Ordinal) || name.EndsWith(".pq", StringComparison.Ordinal)) return DatasetFormat.Parquet;
        if (name.EndsWith(".jsonl", StringComparison.Ordinal) || name.EndsWith(".ndjson", StringComparison.Ordinal)) return DatasetFormat.JsonLines;
        if (name.EndsWith(".json", StringComparison.Ordinal)) return DatasetFormat.Json;
        if (name.EndsWith(".csv", StringComparison.Ordinal)) return DatasetFormat.Csv;
        throw new NuggetsException(
            $"Cannot tell the format of {path} from its extension (.parquet, .jsonl, .ndjson, .json, .csv); set the dataset format.",
            ExitCodes.Config);
    }

    // DuckDB's own glob() so patterns mean what they mean in DuckDB SQL (including **).
    private static List<string> Glob(DuckDbSession session, string pattern)
    {
        var matches = new List<string>();
        using var result = session.Query("SELECT file FROM glob(?)", pattern);
        while (result.Next() is { } chunk)
        {
            using (chunk)
            {
                var files = chunk.Vector(0);
                for (var row = 0; row < chunk.Size; row++) matches.Add(files.GetString(row));
            }
        }
        matches.Sort(StringComparer.Ordinal);
        return matches;
    }
}
