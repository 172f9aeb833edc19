using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.Core.Scoring;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Cache;

/// <summary>
/// The score cache as a DuckDB database file: zero-shot sums per (fingerprint, anchor) and one-shot sums per
/// (fingerprint, candidate, anchor). Each Put is one transaction, so a process killed at any moment leaves a cache
/// that opens (DuckDB replays its write-ahead log) and has lost only the batch that was not committed.
/// One process writes at a time; others get <see cref="ExitCodes.CacheLocked"/> naming the holder, or wait.
/// An instance holds one DuckDB connection and is not thread-safe: use it from one thread at a time.
/// </summary>
public sealed partial class ScoreCache : IScoreCache
{
    /// <summary>The cache's file name inside <see cref="DefaultDirectoryName"/>.</summary>
    public const string DefaultFileName = "cache.duckdb";

    /// <summary>The folder beside the configuration file that holds the cache.</summary>
    public const string DefaultDirectoryName = ".nuggets";

    private static readonly HashSet<string> OpenInThisProcess = new(StringComparer.Ordinal);

    private readonly DuckDbSession session;
    private bool disposed;

    private readonly bool readOnly;
    private readonly Action<string>? beforeCommit;

    private ScoreCache(string path, DuckDbSession session, bool readOnly, Action<string>? beforeCommit, int? upgradedFrom)
    {
        Path = path;
        this.session = session;
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

    /// <summary>The default cache path for a configuration file: <c>.nuggets/cache.duckdb</c> beside it.</summary>
    public static string DefaultPath(string configPath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(configPath))!, DefaultDirectoryName, DefaultFileName);

    /// <summary>Opens (creating when needed, unless read-only) the cache at <paramref name="path"/>.</summary>
    /// <exception cref="NuggetsException"><see cref="ExitCodes.CacheLocked"/> when another process holds it (after
    /// waiting up to <see cref="ScoreCacheOptions.LockTimeout"/>); <see cref="ExitCodes.CacheError"/> when it is not a
    /// cache, is another version, or (read-only) does not exist. Opened for writing, a cache of schema version 1 is
    /// upgraded in place first (<see cref="UpgradedFromVersion"/>); read-only, it is refused with a message saying so.</exception>
    public static ScoreCache Open(string path, ScoreCacheOptions? options = null)
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
            return new ScoreCache(full, session, options.ReadOnly, options.BeforeCommit, upgradedFrom);
        }
        catch
        {
            Release(full);
            throw;
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

    // DuckDB's lock is a per-process file lock, so a second open inside this process would not be refused by it.
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

    /// <inheritdoc />
    public IReadOnlyDictionary<string, LogProbSum> GetZeroShot(string fingerprint, IReadOnlyCollection<string> anchorKeys)
    {
        var found = new Dictionary<string, LogProbSum>(StringComparer.Ordinal);
        if (anchorKeys.Count == 0) return found;
        Guard(() =>
        {
            FillKeys("query_anchors", anchorKeys);
            ReadRows(
                $"SELECT z.anchor_key, z.sum, z.count FROM zero_shot AS z WHERE z.fingerprint = {SqlText.Literal(fingerprint)} " +
                "AND z.anchor_key IN (SELECT key FROM query_anchors)",
                (chunk, row) => found[CacheKey.FromBytes(chunk.Vector(0).GetBytes(row))] = new LogProbSum(chunk.Vector(1).GetDouble(row), chunk.Vector(2).GetInt32(row)));
        });
        return found;
    }

    /// <inheritdoc />
    public void PutZeroShot(string fingerprint, IReadOnlyCollection<KeyValuePair<string, LogProbSum>> sums)
    {
        if (sums.Count == 0) return;
        Guard(() => InTransaction("zero-shot", () =>
        {
            using (var appender = session.CreateAppender("stage_zero"))
            {
                foreach (var (key, sum) in sums)
                {
                    appender.AppendBlob(CacheKey.ToBytes(key)).Append(sum.Sum).Append(sum.Count).EndRow();
                }
                appender.Flush();
            }
            session.Execute($"INSERT INTO zero_shot SELECT DISTINCT ON (anchor_key) {SqlText.Literal(fingerprint)}, anchor_key, sum, count " +
                            "FROM stage_zero ON CONFLICT DO NOTHING");
            session.Execute("DELETE FROM stage_zero");
        }));
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<(string CandidateKey, string AnchorKey), LogProbSum> GetPairs(
        string fingerprint, IReadOnlyCollection<string> candidateKeys, IReadOnlyCollection<string> anchorKeys)
    {
        var found = new Dictionary<(string, string), LogProbSum>();
        if (candidateKeys.Count == 0 || anchorKeys.Count == 0) return found;
        Guard(() =>
        {
            FillKeys("query_candidates", candidateKeys);
            FillKeys("query_anchors", anchorKeys);
            ReadRows(
                $"SELECT p.candidate_key, p.anchor_key, p.sum, p.count FROM pairs AS p WHERE p.fingerprint = {SqlText.Literal(fingerprint)} " +
                "AND p.candidate_key IN (SELECT key FROM query_candidates) AND p.anchor_key IN (SELECT key FROM query_anchors)",
                (chunk, row) => found[(CacheKey.FromBytes(chunk.Vector(0).GetBytes(row)), CacheKey.FromBytes(chunk.Vector(1).GetBytes(row)))] =
                    new LogProbSum(chunk.Vector(2).GetDouble(row), chunk.Vector(3).GetInt32(row)));
        });
        return found;
    }

    /// <inheritdoc />
    public void PutPairs(string fingerprint, IReadOnlyCollection<PairEntry> entries)
    {
        if (entries.Count == 0) return;
        Guard(() => InTransaction("pairs", () =>
        {
            using (var appender = session.CreateAppender("stage_pairs"))
            {
                foreach (var entry in entries)
                {
                    appender.AppendBlob(CacheKey.ToBytes(entry.CandidateKey)).AppendBlob(CacheKey.ToBytes(entry.AnchorKey))
                        .Append(entry.Sum.Sum).Append(entry.Sum.Count).EndRow();
                }
                appender.Flush();
            }
            // pairs has no primary key (CacheSchema): keys already there are skipped by the anti-join instead.
            var fp = SqlText.Literal(fingerprint);
            session.Execute($"INSERT INTO pairs SELECT DISTINCT ON (candidate_key, anchor_key) {fp}, candidate_key, anchor_key, sum, count " +
                            $"FROM stage_pairs AS s WHERE NOT EXISTS (SELECT 1 FROM pairs AS p WHERE p.fingerprint = {fp} " +
                            "AND p.candidate_key = s.candidate_key AND p.anchor_key = s.anchor_key)");
            session.Execute("DELETE FROM stage_pairs");
        }));
    }

    /// <inheritdoc />
    public IReadOnlyList<FingerprintStats> Stats()
    {
        var stats = new List<FingerprintStats>();
        Guard(() => ReadRows(
            "SELECT fingerprint, CAST(sum(z) AS BIGINT), CAST(sum(p) AS BIGINT) FROM (" +
            "SELECT fingerprint, count(*) AS z, 0 AS p FROM zero_shot GROUP BY fingerprint UNION ALL " +
            "SELECT fingerprint, 0 AS z, count(*) AS p FROM pairs GROUP BY fingerprint) GROUP BY fingerprint ORDER BY fingerprint",
            (chunk, row) => stats.Add(new FingerprintStats(chunk.Vector(0).GetString(row), chunk.Vector(1).GetInt64(row), chunk.Vector(2).GetInt64(row)))));
        return stats;
    }

    /// <summary>Removes every entry whose fingerprint is not <paramref name="keepFingerprint"/>, then checkpoints.</summary>
    public PruneResult Prune(string keepFingerprint)
    {
        PruneResult? result = null;
        Guard(() =>
        {
            var keep = SqlText.Literal(keepFingerprint);
            InTransaction(() => result = new PruneResult(
                session.Execute($"DELETE FROM zero_shot WHERE fingerprint <> {keep}"),
                session.Execute($"DELETE FROM pairs WHERE fingerprint <> {keep}")));
            // Folds the deletes into the database file so the space is reused and the WAL is empty.
            session.Execute("CHECKPOINT");
        });
        return result!;
    }

    /// <summary>Closes the cache (checkpointing committed work into the file).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        session.Dispose();
        Release(Path);
    }

    private void FillKeys(string table, IReadOnlyCollection<string> keys)
    {
        session.Execute($"DELETE FROM {table}");
        if (readOnly)
        {
            // DuckDB refuses appenders on a read-only database, even into TEMP tables; INSERT into TEMP is allowed.
            foreach (var batch in keys.Chunk(1000))
                session.Execute($"INSERT INTO {table} VALUES {string.Join(", ", batch.Select(k => $"({CacheKey.Literal(k)})"))}");
            return;
        }
        using var appender = session.CreateAppender(table);
        foreach (var key in keys) appender.AppendBlob(CacheKey.ToBytes(key)).EndRow();
        appender.Flush();
    }

    private void ReadRows(string sql, Action<DataChunk, int> read)
    {
        using var result = session.Query(sql);
        while (result.Next() is { } chunk)
        {
            using (chunk)
            {
                for (var row = 0; row < chunk.Size; row++) read(chunk, row);
            }
        }
    }

    private void InTransaction(Action work) => InTransaction(null, work);

    /// <summary>Runs <paramref name="work"/> in one transaction; a named one is a put of the pipeline (see <see cref="ScoreCacheOptions.BeforeCommit"/>).</summary>
    private void InTransaction(string? name, Action work)
    {
        session.Execute("BEGIN TRANSACTION");
        try
        {
            work();
            if (name is not null) beforeCommit?.Invoke(name);
            session.Execute("COMMIT");
        }
        catch (Exception e) when (e is DuckDbException or ArgumentException)
        {
            // A failed COMMIT (e.g. a full disk) has already ended the transaction; a ROLLBACK error must not hide
            // the reason. Either way nothing of this batch is in the cache (a key that is not a SHA-256 digest is an
            // ArgumentException: the connection must not be left inside the transaction either).
            try { session.Execute("ROLLBACK"); } catch (DuckDbException) { }
            throw;
        }
    }

    private void Guard(Action work)
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
}
