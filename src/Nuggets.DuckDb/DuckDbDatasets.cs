using Nuggets.Core.Data;
using Nuggets.DuckDb.Datasets;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb;

/// <summary>
/// The datasets of one run, each read once into a DuckDB table and shared by the <see cref="DuckDbDatasetReader"/> and
/// <see cref="DuckDbSelectionWriter"/> built on it: describing, every scan and every output write of the same
/// <see cref="DatasetSource"/> reuse the first read instead of opening the files again (README.md, "How datasets are
/// read"). One instance per run: a file rewritten between two runs is read afresh by the next one, while a file rewritten
/// during this run fails the output writes. Tables spill to a private temporary folder, removed on dispose.
/// </summary>
public sealed class DuckDbDatasets : IDisposable
{
    /// <summary>
    /// What DuckDB keeps of the dataset tables in memory before spilling to disk. Its default (80% of RAM) would let a
    /// large dataset crowd out the model. Measured on 1,000,000 generated Alpaca-shaped Parquet rows (`anchors` on
    /// artifacts/bench/reader-1000000.parquet, peak RSS by /usr/bin/time): 1 GB gave 608 MB, 256 MB gave 459 MB, 128 MB
    /// gave 335 MB in about the same time, as much as the streaming reader before the rows were copied (331 MB).
    /// </summary>
    public const string MemoryLimit = "128MB";

    private readonly Lock gate = new();
    private readonly Dictionary<string, DatasetPlan> plans = new(StringComparer.Ordinal);
    private readonly string temporaryDirectory = Path.Combine(Path.GetTempPath(), $"nuggets-datasets-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private DuckDbSession? database;
    private bool disposed;
    private int builds; // a failed build may leave tables behind: every build gets fresh names

    /// <summary>The plan of <paramref name="source"/>: built (the files read) on first use, then reused.</summary>
    /// <exception cref="Nuggets.Core.NuggetsException">As <see cref="IDatasetReader.Describe"/>.</exception>
    internal DatasetPlan Plan(DatasetSource source)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var key = Key(source);
            if (plans.TryGetValue(key, out var plan)) return plan;
            // One thread: tables keep the files' row order, and output COPYs write row groups in one deterministic order.
            database ??= ReaderSession.Open(threads: 1, temporaryDirectory, MemoryLimit);
            plan = DatasetPlan.Build(source, database, $"nuggets_dataset_{builds++}");
            plans[key] = plan;
            return plan;
        }
    }

    /// <summary>A connection of its own to the tables, for one scan or one write (its TEMP tables are its own).</summary>
    internal DuckDbSession Connect()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return database!.Connect();
        }
    }

    /// <summary>Closes the database (its tables) and removes what it spilled.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            database?.Dispose();
            plans.Clear();
        }
        try
        {
            if (Directory.Exists(temporaryDirectory)) Directory.Delete(temporaryDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover spill folder in the system temp directory is harmless.
        }
    }

    // The same files, format and mapping are the same dataset; paths as full paths, as DatasetFiles resolves them.
    private static string Key(DatasetSource source) =>
        string.Join("\0", source.Paths.Select(Path.GetFullPath)) + "\0" + source.Format + "\0" + source.Columns;
}
