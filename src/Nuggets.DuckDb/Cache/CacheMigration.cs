using System.Runtime.InteropServices;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Cache;

/// <summary>
/// Upgrades a version-1 cache (64-character hex VARCHAR keys, Base64 text embeddings) to the current schema. It runs
/// inside the caller's transaction: DuckDB's DDL is transactional and its write-ahead log replays only committed
/// transactions, so an error rolls everything back and a process killed at any moment leaves version 1 or version 2,
/// never a mixture.
/// </summary>
internal static class CacheMigration
{
    /// <summary>Rows of old embeddings decoded and appended at a time (bounds memory on big caches).</summary>
    private const int EmbeddingPage = 1024;

    /// <summary>Version-1 tables. Caches written before the LIFT stages existed lack the last two; they are created
    /// empty first so every cache takes the same path.</summary>
    internal static readonly string[] Version1Tables =
    [
        "CREATE TABLE IF NOT EXISTS zero_shot (fingerprint VARCHAR NOT NULL, anchor_key VARCHAR NOT NULL, " +
        "sum DOUBLE NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (fingerprint, anchor_key))",
        "CREATE TABLE IF NOT EXISTS pairs (fingerprint VARCHAR NOT NULL, candidate_key VARCHAR NOT NULL, anchor_key VARCHAR NOT NULL, " +
        "sum DOUBLE NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (fingerprint, candidate_key, anchor_key))",
        "CREATE TABLE IF NOT EXISTS lift_generations (key VARCHAR PRIMARY KEY, text VARCHAR NOT NULL, stopped INTEGER NOT NULL, " +
        "failure VARCHAR NOT NULL)",
        "CREATE TABLE IF NOT EXISTS lift_embeddings (key VARCHAR PRIMARY KEY, dimension INTEGER NOT NULL, vector VARCHAR NOT NULL)",
    ];

    /// <summary>
    /// SQL that turns a version-1 hex key column into the stored BLOB. A key that is not 64 lower-case hex characters
    /// fails the upgrade (and rolls it back) rather than being stored under a second spelling.
    /// </summary>
    internal static string KeyFromHex(string column) =>
        $"CASE WHEN regexp_full_match({column}, '[0-9a-f]{{64}}') THEN unhex({column}) " +
        $"ELSE error('cache key is not a lower-case hex SHA-256: ' || {column}) END";

    /// <summary>Rewrites every table into the current schema and sets schema_version; call inside a transaction.</summary>
    public static void FromVersion1(DuckDbSession session)
    {
        foreach (var table in Version1Tables) session.Execute(table);
        Rewrite(session, "zero_shot", $"fingerprint, {KeyFromHex("anchor_key")}, sum, count");
        Rewrite(session, "pairs", $"fingerprint, {KeyFromHex("candidate_key")}, {KeyFromHex("anchor_key")}, sum, count");
        Rewrite(session, "lift_generations", $"{KeyFromHex("key")}, text, stopped, failure");
        RewriteEmbeddings(session);
        session.Execute($"UPDATE nuggets_meta SET value = '{CacheSchema.Version}' WHERE key = 'schema_version'");
    }

    private static void Rewrite(DuckDbSession session, string table, string select)
    {
        CreateNext(session, table);
        session.Execute($"INSERT INTO {table}_next SELECT {select} FROM {table}");
        Swap(session, table);
    }

    // The text is Base64 of the float bits, which SQL cannot turn into FLOAT[]: decode here, page by page in key order.
    private static void RewriteEmbeddings(DuckDbSession session)
    {
        CreateNext(session, "lift_embeddings");
        string? after = null;
        while (true)
        {
            var page = new List<KeyValuePair<byte[], float[]>>(EmbeddingPage);
            string? last = null;
            using (var result = after is null
                       ? session.Query($"SELECT key, dimension, vector FROM lift_embeddings ORDER BY key LIMIT {EmbeddingPage}")
                       : session.Query($"SELECT key, dimension, vector FROM lift_embeddings WHERE key > ? ORDER BY key LIMIT {EmbeddingPage}", after))
            {
                while (result.Next() is { } chunk)
                {
                    using (chunk)
                    {
                        for (var row = 0; row < chunk.Size; row++)
                        {
                            last = chunk.Vector(0).GetString(row);
                            page.Add(new(CacheKey.ToBytes(last), DecodeVersion1Vector(chunk.Vector(2).GetString(row), chunk.Vector(1).GetInt32(row))));
                        }
                    }
                }
            }
            if (page.Count == 0) break;
            using (var appender = session.CreateAppender("lift_embeddings_next"))
            {
                KeyVectorChunk.AppendAll(appender, page);
                appender.Flush();
            }
            after = last;
        }
        Swap(session, "lift_embeddings");
    }

    /// <summary>A version-1 embedding: Base64 of the little-endian float bits.</summary>
    /// <exception cref="DuckDbException">The text is not <paramref name="dimension"/> floats.</exception>
    internal static float[] DecodeVersion1Vector(string text, int dimension)
    {
        var vector = new float[dimension];
        if (!Convert.TryFromBase64String(text, MemoryMarshal.AsBytes(vector.AsSpan()), out var written) || written != dimension * sizeof(float))
            throw new DuckDbException($"an embedding entry of dimension {dimension} is damaged");
        return vector;
    }

    private static void CreateNext(DuckDbSession session, string table)
    {
        var definition = CacheSchema.Tables.Single(t => t.Name == table).Definition;
        session.Execute($"CREATE TABLE {table}_next ({definition})");
    }

    private static void Swap(DuckDbSession session, string table)
    {
        session.Execute($"DROP TABLE {table}");
        session.Execute($"ALTER TABLE {table}_next RENAME TO {table}");
    }
}
