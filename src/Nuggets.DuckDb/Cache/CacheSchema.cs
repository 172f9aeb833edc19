using Nuggets.Core;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Cache;

/// <summary>
/// The tables of a score cache (schema version 2). Keys are 32-byte BLOBs (<see cref="CacheKey"/>), embeddings FLOAT[].
/// zero_shot and the LIFT tables have primary keys, so their inserts are idempotent (ON CONFLICT DO NOTHING); pairs,
/// the one big table, has none: its index was ~90% of the file (README, "Cache size"), so its inserts skip keys that
/// are present with an anti-join instead — safe because one process writes a cache at a time (<see cref="CacheLock"/>).
/// </summary>
internal static class CacheSchema
{
    /// <summary>The schema this build writes. Version 1 (hex VARCHAR keys, Base64 embeddings) is upgraded on open.</summary>
    public const int Version = 2;

    /// <summary>Each table with its current definition (name first, for the migration).</summary>
    public static readonly (string Name, string Definition)[] Tables =
    [
        ("nuggets_meta", "key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL"),
        ("zero_shot", "fingerprint VARCHAR NOT NULL, anchor_key BLOB NOT NULL, sum DOUBLE NOT NULL, count INTEGER NOT NULL, " +
                      "PRIMARY KEY (fingerprint, anchor_key)"),
        ("pairs", "fingerprint VARCHAR NOT NULL, candidate_key BLOB NOT NULL, anchor_key BLOB NOT NULL, sum DOUBLE NOT NULL, count INTEGER NOT NULL"),
        // LIFT stages. Keys hash the model fingerprint with the whole request, so no fingerprint column is needed.
        ("lift_generations", "key BLOB PRIMARY KEY, text VARCHAR NOT NULL, stopped INTEGER NOT NULL, failure VARCHAR NOT NULL"),
        ("lift_embeddings", "key BLOB PRIMARY KEY, vector FLOAT[] NOT NULL"),
    ];

    /// <summary>Per-connection staging tables (TEMP: never persisted) that appenders fill before one set-based statement.</summary>
    private static readonly string[] Staging =
    [
        "CREATE TEMP TABLE stage_zero (anchor_key BLOB, sum DOUBLE, count INTEGER)",
        "CREATE TEMP TABLE stage_pairs (candidate_key BLOB, anchor_key BLOB, sum DOUBLE, count INTEGER)",
        "CREATE TEMP TABLE query_candidates (key BLOB)",
        "CREATE TEMP TABLE query_anchors (key BLOB)",
        "CREATE TEMP TABLE stage_generations (key BLOB, text VARCHAR, stopped INTEGER, failure VARCHAR)",
        "CREATE TEMP TABLE stage_embeddings (key BLOB, vector FLOAT[])",
    ];

    /// <summary>
    /// Creates the tables in a new cache, upgrades a version-1 cache in place (one transaction: a kill or an error
    /// leaves it as it was), and checks the version.
    /// </summary>
    /// <returns>The version the cache was upgraded from, or null when it was not upgraded.</returns>
    public static int? Ensure(DuckDbSession session, string path, bool readOnly)
    {
        int? upgradedFrom = null;
        if (!readOnly)
        {
            session.Execute("BEGIN TRANSACTION");
            try
            {
                switch (StoredVersion(session, "main"))
                {
                    case null:
                        foreach (var (name, definition) in Tables) session.Execute($"CREATE TABLE IF NOT EXISTS {name} ({definition})");
                        session.Execute($"INSERT INTO nuggets_meta VALUES ('schema_version', '{Version}') ON CONFLICT DO NOTHING");
                        break;
                    case 1:
                        CacheMigration.FromVersion1(session);
                        upgradedFrom = 1;
                        break;
                }
                session.Execute("COMMIT");
            }
            catch (DuckDbException e)
            {
                try { session.Execute("ROLLBACK"); } catch (DuckDbException) { }
                throw new NuggetsException($"Cannot open score cache {path}: {e.Message}", ExitCodes.CacheError, e);
            }
        }
        CheckVersion(session, path, "main");
        foreach (var table in Staging) session.Execute(table);
        return upgradedFrom;
    }

    /// <summary>Checks that <paramref name="catalog"/> (main, or an attached merge input) is a cache this build reads.</summary>
    /// <returns>Its schema version: <see cref="Version"/>, or 1 for an attached merge input (read through conversions).</returns>
    public static long CheckVersion(DuckDbSession session, string path, string catalog, bool acceptVersion1 = false)
    {
        long? version;
        try
        {
            version = StoredVersion(session, catalog);
        }
        catch (DuckDbException e)
        {
            throw new NuggetsException($"{path} is not a Nuggets score cache: {e.Message}", ExitCodes.CacheError, e);
        }
        if (version is null)
            throw new NuggetsException($"{path} is not a Nuggets score cache: it has no nuggets_meta table.", ExitCodes.CacheError);
        if (version == 1 && !acceptVersion1)
            throw new NuggetsException(
                $"Score cache {path} has schema version 1 (written by an earlier nuggets). It is upgraded in place the next time it is " +
                "opened for writing: run `dotnet nuggets cache upgrade --cache <path>`, or any run that uses it.", ExitCodes.CacheError);
        if (version != Version && version != 1)
            throw new NuggetsException($"Score cache {path} has schema version {version}; this tool reads version {Version}.", ExitCodes.CacheError);
        return version.Value;
    }

    /// <summary>The schema_version of <paramref name="catalog"/>, or null when it has no nuggets_meta table (a new file).</summary>
    private static long? StoredVersion(DuckDbSession session, string catalog)
    {
        var hasMeta = session.ScalarInt64(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' AND table_name = 'nuggets_meta'",
            catalog == "main" ? CurrentDatabase(session) : catalog);
        if (hasMeta == 0) return null;
        return session.ScalarInt64($"SELECT CAST(value AS BIGINT) FROM {catalog}.nuggets_meta WHERE key = 'schema_version'");
    }

    private static string CurrentDatabase(DuckDbSession session)
    {
        using var result = session.Query("SELECT current_database()");
        using var chunk = result.Next() ?? throw new DuckDbException("current_database() returned no row");
        return chunk.Vector(0).GetString(0);
    }
}
