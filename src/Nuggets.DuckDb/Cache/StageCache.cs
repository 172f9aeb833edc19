using Nuggets.Core.Stages;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Cache;

/// <summary>
/// The LIFT stages' cache in a cache file (<see cref="CacheConnection"/>): generations and embeddings under
/// content-addressed keys (README.md, "LIFT stages"). It shares the file, connection and lock with the score cache, so a
/// run that has stages opens the file once. Each Put is one transaction. Not thread-safe, like its connection.
/// </summary>
/// <param name="connection">The open cache file; the caller keeps and closes it.</param>
public sealed class StageCache(CacheConnection connection) : IStageCache
{
    private readonly CacheConnection connection = connection ?? throw new ArgumentNullException(nameof(connection));

    /// <inheritdoc />
    public IReadOnlyDictionary<string, GeneratedText> GetGenerations(IReadOnlyCollection<string> keys)
    {
        var found = new Dictionary<string, GeneratedText>(StringComparer.Ordinal);
        if (keys.Count == 0) return found;
        connection.Guard(() =>
        {
            connection.FillKeys("query_candidates", keys);
            connection.ReadRows(
                "SELECT g.key, g.text, g.stopped, g.failure FROM lift_generations AS g WHERE g.key IN (SELECT key FROM query_candidates)",
                (chunk, row) =>
                {
                    var failure = chunk.Vector(3).GetString(row);
                    found[CacheKey.FromBytes(chunk.Vector(0).GetBytes(row))] = new GeneratedText(chunk.Vector(1).GetString(row), chunk.Vector(2).GetInt32(row) != 0,
                        failure.Length == 0 ? null : failure);
                });
        });
        return found;
    }

    /// <inheritdoc />
    public void PutGenerations(IReadOnlyCollection<KeyValuePair<string, GeneratedText>> entries)
    {
        if (entries.Count == 0) return;
        var session = connection.Session;
        connection.Guard(() => connection.InTransaction("generations", () =>
        {
            using (var appender = session.CreateAppender("stage_generations"))
            {
                foreach (var (key, generated) in entries)
                    appender.AppendBlob(CacheKey.ToBytes(key)).Append(generated.Text).Append(generated.Stopped ? 1 : 0).Append(generated.Failure ?? "").EndRow();
                appender.Flush();
            }
            session.Execute("INSERT INTO lift_generations SELECT DISTINCT ON (key) key, text, stopped, failure FROM stage_generations ON CONFLICT DO NOTHING");
            session.Execute("DELETE FROM stage_generations");
        }));
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, float[]> GetEmbeddings(IReadOnlyCollection<string> keys)
    {
        var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (keys.Count == 0) return found;
        connection.Guard(() =>
        {
            connection.FillKeys("query_candidates", keys);
            connection.ReadRows(
                "SELECT e.key, e.vector FROM lift_embeddings AS e WHERE e.key IN (SELECT key FROM query_candidates)",
                (chunk, row) => found[CacheKey.FromBytes(chunk.Vector(0).GetBytes(row))] = ReadVector(chunk.Vector(1), row));
        });
        return found;
    }

    /// <inheritdoc />
    public void PutEmbeddings(IReadOnlyCollection<KeyValuePair<string, float[]>> entries)
    {
        if (entries.Count == 0) return;
        var session = connection.Session;
        connection.Guard(() => connection.InTransaction("embeddings", () =>
        {
            using (var appender = session.CreateAppender("stage_embeddings"))
            {
                KeyVectorChunk.AppendAll(appender, entries.Select(e => KeyValuePair.Create(CacheKey.ToBytes(e.Key), e.Value)).ToList());
                appender.Flush();
            }
            session.Execute("INSERT INTO lift_embeddings SELECT DISTINCT ON (key) key, vector FROM stage_embeddings ON CONFLICT DO NOTHING");
            session.Execute("DELETE FROM stage_embeddings");
        }));
    }

    private static float[] ReadVector(VectorView list, int row)
    {
        var entry = list.GetListEntry(row);
        var vector = new float[checked((int)entry.Length)];
        list.ListChild.CopyFloats(entry.Offset, vector);
        return vector;
    }
}
