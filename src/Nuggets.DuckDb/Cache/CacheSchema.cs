using Nuggets.Core;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Cache;

/// <summary>The tables of a score cache. Primary keys make every insert idempotent (ON CONFLICT DO NOTHING).</summary>
internal static class CacheSchema
{
    public const int Version = 1;

    private static readonly string[] Tables =
    [
        "CREATE TABLE IF NOT EXISTS nuggets_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
        "CREATE TABLE IF NOT EXISTS zero_shot (fingerprint VARCHAR NOT NULL, anchor_key VARCHAR NOT NULL, " +
        "sum DOUBLE NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (fingerprint, anchor_key))",
        "CREATE TABLE IF NOT EXISTS pairs (fingerprint VARCHAR NOT NULL, candidate_key VARCHAR NOT NULL, anchor_key VARCHAR NOT NULL, " +
        "sum DOUBLE NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (fingerprint, candidate_key, anchor_key))",
        // LIFT stages. Keys hash the model fingerprint with the whole request, so no fingerprint column is needed;
        // added with IF NOT EXISTS, so caches written before stages existed gain them without a version change.
        "CREATE TABLE IF NOT EXISTS lift_generations (key VARCHAR PRIMARY KEY, text VARCHAR NOT NULL, stopped INTEGER NOT NULL, " +
        "failure VARCHAR NOT NULL)",
        "CREATE TABLE IF NOT EXISTS lift_embeddings (key VARCHAR PRIMARY KEY, dimension INTEGER NOT NULL, vector VARCHAR NOT NULL)",
    ];

    /// <summary>Per-connection staging tables (TEMP: never persisted) that appenders fill before one set-based statement.</summary>
    private static readonly string[] Staging =
    [
        "CREATE TEMP TABLE stage_zero (anchor_key VARCHAR, sum DOUBLE, count INTEGER)",
        "CREATE TEMP TABLE stage_pairs (candidate_key VARCHAR, anchor_key VARCHAR, sum DOUBLE, count INTEGER)",
        "CREATE TEMP TABLE query_candidates (key VARCHAR)",
        "CREATE TEMP TABLE query_anchors (key VARCHAR)",
        "CREATE TEMP TABLE stage_generations (key VARCHAR, text VARCHAR, stopped INTEGER, failure VARCHAR)",
        "CREATE TEMP TABLE stage_embeddings (key VARCHAR, dimension INTEGER, vector VARCHAR)",
    ];

    /// <summary>Creates the tables in a new cache, or checks the version of an existing one.</summary>
    public static void Ensure(DuckDbSession session, string path, bool readOnly)
    {
        if (!readOnly)
        {
            session.Execute("BEGIN TRANSACTION");
            foreach (var table in Tables) session.Execute(table);
            session.Execute($"INSERT INTO nuggets_meta VALUES ('schema_version', '{Version}') ON CONFLICT DO NOTHING");
            session.Execute("COMMIT");
        }
        CheckVersion(session, path, "main");
        foreach (var table in Staging) session.Execute(table);
    }

    /// <summary>Checks that <paramref name="catalog"/> (main, or an attached merge input) is a cache of this version.</summary>
    public static void CheckVersion(DuckDbSession session, string path, string catalog)
    {
        long version;
        try
        {
            version = session.ScalarInt64($"SELECT CAST(value AS BIGINT) FROM {catalog}.nuggets_meta WHERE key = 'schema_version'");
        }
        catch (DuckDbException e)
        {
            throw new NuggetsException($"{path} is not a Nuggets score cache: {e.Message}", ExitCodes.CacheError, e);
        }
        if (version != Version)
            throw new NuggetsException($"Score cache {path} has schema version {version}; this tool reads version {Version}.", ExitCodes.CacheError);
    }
}
