using Nuggets.Core;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Cache;

/// <summary>
/// One open cache file: a DuckDB database holding the score cache (<see cref="ScoreCache"/>) and the LIFT stages' cache
/// (<see cref="StageCache"/>), which share this connection, its lock and its transactions. Opening creates the tables,
/// or upgrades an older schema in place. Each write is one transaction, so a process killed at any moment leaves a file
/// that opens (DuckDB replays its write-ahead log) and has lost only the batch that was not committed.
/// One process writes at a time; others get <see cref="ExitCodes.CacheLocked"/> naming the holder, or wait.
/// An instance holds one DuckDB connection and is not thread-safe: use it (and the caches over it) from one thread at a time.
/// </summary>
public sealed class CacheConnection : IDisposable
{
    /// <summary>The cache's file name inside <see cref="DefaultDirectoryName"/>.</summary>
    public const string DefaultFileName = "cache.duckdb";

    /// <summary>The folder beside the configuration file that holds the cache.</summary>
    public const string DefaultDirectoryName = ".nuggets";

    // DuckDB's lock is a per-process file lock, so a second open inside this process would not be refused by it.
    private static readonly HashSet<string> OpenInThisProcess = new(StringComparer.Ordinal);

    private readonly bool readOnly;
    private readonly Action<string>? beforeCommit;
    private bool disposed;

    private CacheConnection(string path, DuckDbSession session, bool readOnly, Action<string>? beforeCommit, int? upgradedFrom)
    {
        Path = path;
        Session = session;
        this.readOnly = readOnly;
        this.beforeCommit = beforeCommit;
        UpgradedFromVersion = upgradedFrom;
    }

    /// <summary>Full path of the cache file.</summary>
    public string Path { get; }

    /// <summary>The schema version this open upgraded the file from (in place, in one transaction), or null when it
    /// was already current or new.</summary>
    public int? UpgradedFromVersion { get; }

    /// <summary>The schema version this build writes (see CacheSchema).</summary>
    public static int SchemaVersion => CacheSchema.Version;

    /// <summary>The DuckDB connection the caches over this file query.</summary>
    internal DuckDbSession Session { get; }

    /// <summary>The default cache path for a configuration file: <c>.nuggets/cache.duckdb</c> beside it.</summary>
    public static string DefaultPath(string configPath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(configPath))!, DefaultDirectoryName, DefaultFileName);

    /// <summary>Opens (creating when needed, unless read-only) the cache file at <paramref name="path"/>.</summary>
    /// <exception cref="NuggetsException"><see cref="ExitCodes.CacheLocked"/> when another process holds it (after
    /// waiting up to <see cref="ScoreCacheOptions.LockTimeout"/>); <see cref="ExitCodes.CacheError"/> when it is not a
    /// cache, is another version, or (read-only) does not exist. Opened for writing, a cache of schema version 1 is
    /// upgraded in place first (<see cref="UpgradedFromVersion"/>); read-only, it is refused with a message saying so.</exception>
    public static CacheConnection Open(string path, ScoreCacheOptions? options = null)
    {
        options ??= ScoreCacheOptions.Default;
        var full = System.IO.Path.GetFullPath(path);
        if (options.ReadOnly && !File.Exists(full))
            throw new NuggetsException($"Score cache {full} does not exist.", ExitCodes.CacheError);
        if (!options.ReadOnly) Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);

        Claim(full, options.LockTimeout, options.Cancellation);
        try
        {
            var session = OpenSession(full, options);
            int? upgradedFrom;
            try
            {
                upgradedFrom = CacheSchema.Ensure(session, full, options.ReadOnly);
            }
            catch
            {
                session.Dispose();
                throw;
            }
            return new CacheConnection(full, session, options.ReadOnly, options.BeforeCommit, upgradedFrom);
        }
        catch
        {
            Release(full);
            throw;
        }
    }

    /// <summary>Closes the file (checkpointing committed work into it).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Session.Dispose();
        Release(Path);
    }

    /// <summary>Throws when <paramref name="path"/> is open in this process (DuckDB's own lock would not refuse it).</summary>
    internal static void RefuseIfOpenInThisProcess(string path)
    {
        lock (OpenInThisProcess)
        {
            if (OpenInThisProcess.Contains(path)) throw CacheLock.InUse(path, Environment.ProcessId);
        }
    }

    /// <summary>Replaces the rows of a TEMP key table (<c>query_candidates</c>, <c>query_anchors</c>) with <paramref name="keys"/>.</summary>
    internal void FillKeys(string table, IReadOnlyCollection<string> keys)
    {
        Session.Execute($"DELETE FROM {table}");
        if (readOnly)
        {
            // DuckDB refuses appenders on a read-only database, even into TEMP tables; INSERT into TEMP is allowed.
            // The keys are bound, one parameter each; ToBytes refuses anything that is not a key first.
            foreach (var batch in keys.Chunk(1000))
                Session.Execute($"INSERT INTO {table} VALUES {string.Join(", ", batch.Select(_ => "(unhex(?))"))}",
                    batch.Select(key => (object)CacheKey.FromBytes(CacheKey.ToBytes(key))).ToArray());
            return;
        }
        using var appender = Session.CreateAppender(table);
        foreach (var key in keys) appender.AppendBlob(CacheKey.ToBytes(key)).EndRow();
        appender.Flush();
    }

    /// <summary>Calls <paramref name="read"/> for every row of <paramref name="sql"/>.</summary>
    internal void ReadRows(string sql, Action<DataChunk, int> read, params object[] parameters)
    {
        using var result = Session.Query(sql, parameters);
        while (result.Next() is { } chunk)
        {
            using (chunk)
            {
                for (var row = 0; row < chunk.Size; row++) read(chunk, row);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction that is not a put of the pipeline (prune, merge).</summary>
    internal void InTransaction(Action work) => InTransaction(null, work);

    /// <summary>Runs <paramref name="work"/> in one transaction; a named one is a put of the pipeline (see <see cref="ScoreCacheOptions.BeforeCommit"/>).</summary>
    internal void InTransaction(string? name, Action work)
    {
        Session.Execute("BEGIN TRANSACTION");
        try
        {
            work();
            if (name is not null) beforeCommit?.Invoke(name);
            Session.Execute("COMMIT");
        }
        catch (Exception e) when (e is DuckDbException or ArgumentException)
        {
            // A failed COMMIT (e.g. a full disk) has already ended the transaction; a ROLLBACK error must not hide
            // the reason. Either way nothing of this batch is in the cache (a key that is not a SHA-256 digest is an
            // ArgumentException: the connection must not be left inside the transaction either).
            try { Session.Execute("ROLLBACK"); } catch (DuckDbException) { }
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/>, turning a DuckDB error into <see cref="ExitCodes.CacheError"/> naming the file.</summary>
    internal void Guard(Action work)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        try
        {
            work();
        }
        catch (DuckDbException e)
        {
            throw new NuggetsException($"Score cache {Path}: {e.Message}", ExitCodes.CacheError, e);
        }
    }

    private static DuckDbSession OpenSession(string full, ScoreCacheOptions options)
    {
        var settings = new Dictionary<string, string>
        {
            ["access_mode"] = options.ReadOnly ? "READ_ONLY" : "READ_WRITE",
            ["autoinstall_known_extensions"] = "false",
            ["autoload_known_extensions"] = "false",
        };
        var deadline = DateTime.UtcNow + options.LockTimeout;
        var waiting = false;
        while (true)
        {
            try
            {
                return DuckDbSession.Open(full, settings);
            }
            catch (DuckDbException e) when (CacheLock.IsLockError(e))
            {
                if (DateTime.UtcNow >= deadline) throw CacheLock.InUse(full, CacheLock.HolderPid(e.Message), e);
                if (!waiting)
                {
                    waiting = true;
                    options.OnWait?.Invoke(CacheLock.HolderPid(e.Message));
                }
                // A wait may last an hour (cache.wait): a stop ends it at once instead.
                if (options.Cancellation.WaitHandle.WaitOne(100)) options.Cancellation.ThrowIfCancellationRequested();
            }
            catch (DuckDbException e)
            {
                throw new NuggetsException($"Cannot open score cache {full}: {e.Message}", ExitCodes.CacheError, e);
            }
        }
    }

    private static void Claim(string full, TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (OpenInThisProcess)
            {
                if (OpenInThisProcess.Add(full)) return;
            }
            if (DateTime.UtcNow >= deadline) throw CacheLock.InUse(full, Environment.ProcessId);
            if (cancellation.WaitHandle.WaitOne(50)) cancellation.ThrowIfCancellationRequested();
        }
    }

    private static void Release(string full)
    {
        lock (OpenInThisProcess) OpenInThisProcess.Remove(full);
    }
}
