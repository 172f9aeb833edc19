using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.Core.Scoring;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Cache;

/// <summary>
/// The score cache in a cache file (<see cref="CacheConnection"/>): zero-shot sums per (fingerprint, anchor) and
/// one-shot sums per (fingerprint, candidate, anchor). Each Put is one transaction. Not thread-safe, like its connection.
/// </summary>
public sealed class ScoreCache : IScoreCache, IDisposable
{
    private readonly bool ownsConnection;

    /// <summary>The score cache over an open <paramref name="connection"/>, which the caller keeps and closes.</summary>
    public ScoreCache(CacheConnection connection) : this(connection, ownsConnection: false)
    {
    }

    private ScoreCache(CacheConnection connection, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        this.ownsConnection = ownsConnection;
    }

    /// <summary>The cache file this reads and writes (its path, schema version, upgrade).</summary>
    public CacheConnection Connection { get; }

    /// <summary>
    /// Opens the cache file at <paramref name="path"/> for the score cache alone (<c>cache stats</c>, <c>prune</c>,
    /// tools and tests); disposing the result closes the file. See <see cref="CacheConnection.Open"/>.
    /// </summary>
    /// <exception cref="NuggetsException">As <see cref="CacheConnection.Open"/>.</exception>
    public static ScoreCache Open(string path, ScoreCacheOptions? options = null) => new(CacheConnection.Open(path, options), ownsConnection: true);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, LogProbSum> GetZeroShot(string fingerprint, IReadOnlyCollection<string> anchorKeys)
    {
        var found = new Dictionary<string, LogProbSum>(StringComparer.Ordinal);
        if (anchorKeys.Count == 0) return found;
        Connection.Guard(() =>
        {
            Connection.FillKeys("query_anchors", anchorKeys);
            Connection.ReadRows(
                "SELECT z.anchor_key, z.sum, z.count FROM zero_shot AS z WHERE z.fingerprint = ? " +
                "AND z.anchor_key IN (SELECT key FROM query_anchors)",
                (chunk, row) => found[CacheKey.FromBytes(chunk.Vector(0).GetBytes(row))] = new LogProbSum(chunk.Vector(1).GetDouble(row), chunk.Vector(2).GetInt32(row)),
                fingerprint);
        });
        return found;
    }

    /// <inheritdoc />
    public void PutZeroShot(string fingerprint, IReadOnlyCollection<KeyValuePair<string, LogProbSum>> sums)
    {
        if (sums.Count == 0) return;
        var session = Connection.Session;
        Connection.Guard(() => Connection.InTransaction("zero-shot", () =>
        {
            using (var appender = session.CreateAppender("stage_zero"))
            {
                foreach (var (key, sum) in sums)
                {
                    appender.AppendBlob(CacheKey.ToBytes(key)).Append(sum.Sum).Append(sum.Count).EndRow();
                }
                appender.Flush();
            }
            session.Execute("INSERT INTO zero_shot SELECT DISTINCT ON (anchor_key) CAST(? AS VARCHAR), anchor_key, sum, count " +
                            "FROM stage_zero ON CONFLICT DO NOTHING", fingerprint);
            session.Execute("DELETE FROM stage_zero");
        }));
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<(string CandidateKey, string AnchorKey), LogProbSum> GetPairs(
        string fingerprint, IReadOnlyCollection<string> candidateKeys, IReadOnlyCollection<string> anchorKeys)
    {
        var found = new Dictionary<(string, string), LogProbSum>();
        if (candidateKeys.Count == 0 || anchorKeys.Count == 0) return found;
        Connection.Guard(() =>
        {
            Connection.FillKeys("query_candidates", candidateKeys);
            Connection.FillKeys("query_anchors", anchorKeys);
            Connection.ReadRows(
                "SELECT p.candidate_key, p.anchor_key, p.sum, p.count FROM pairs AS p WHERE p.fingerprint = ? " +
                "AND p.candidate_key IN (SELECT key FROM query_candidates) AND p.anchor_key IN (SELECT key FROM query_anchors)",
                (chunk, row) => found[(CacheKey.FromBytes(chunk.Vector(0).GetBytes(row)), CacheKey.FromBytes(chunk.Vector(1).GetBytes(row)))] =
                    new LogProbSum(chunk.Vector(2).GetDouble(row), chunk.Vector(3).GetInt32(row)),
                fingerprint);
        });
        return found;
    }

    /// <inheritdoc />
    public void PutPairs(string fingerprint, IReadOnlyCollection<PairEntry> entries)
    {
        if (entries.Count == 0) return;
        var session = Connection.Session;
        Connection.Guard(() => Connection.InTransaction("pairs", () =>
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
            session.Execute("INSERT INTO pairs SELECT DISTINCT ON (candidate_key, anchor_key) CAST($1 AS VARCHAR), candidate_key, anchor_key, sum, count " +
                            "FROM stage_pairs AS s WHERE NOT EXISTS (SELECT 1 FROM pairs AS p WHERE p.fingerprint = $1 " +
                            "AND p.candidate_key = s.candidate_key AND p.anchor_key = s.anchor_key)", fingerprint);
            session.Execute("DELETE FROM stage_pairs");
        }));
    }

    /// <inheritdoc />
    public IReadOnlyList<FingerprintStats> Stats()
    {
        var stats = new List<FingerprintStats>();
        Connection.Guard(() => Connection.ReadRows(
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
        var session = Connection.Session;
        Connection.Guard(() =>
        {
            Connection.InTransaction(() => result = new PruneResult(
                session.Execute("DELETE FROM zero_shot WHERE fingerprint <> ?", keepFingerprint),
                session.Execute("DELETE FROM pairs WHERE fingerprint <> ?", keepFingerprint)));
            // Folds the deletes into the database file so the space is reused and the WAL is empty.
            session.Execute("CHECKPOINT");
        });
        return result!;
    }

    /// <summary>Closes the cache file when this instance opened it (<see cref="Open"/>); otherwise its owner does.</summary>
    public void Dispose()
    {
        if (ownsConnection) Connection.Dispose();
    }
}
