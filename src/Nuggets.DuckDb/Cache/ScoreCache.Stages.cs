using System.Runtime.InteropServices;
using Nuggets.Core.Stages;

namespace Nuggets.DuckDb.Cache;

public sealed partial class ScoreCache : IStageCache
{
    /// <inheritdoc />
    public IReadOnlyDictionary<string, GeneratedText> GetGenerations(IReadOnlyCollection<string> keys)
    {
        var found = new Dictionary<string, GeneratedText>(StringComparer.Ordinal);
        if (keys.Count == 0) return found;
        Guard(() =>
        {
            FillKeys("query_candidates", keys);
            ReadRows(
                "SELECT g.key, g.text, g.stopped, g.failure FROM lift_generations AS g WHERE g.key IN (SELECT key FROM query_candidates)",
                (chunk, row) =>
                {
                    var failure = chunk.Vector(3).GetString(row);
                    found[chunk.Vector(0).GetString(row)] = new GeneratedText(chunk.Vector(1).GetString(row), chunk.Vector(2).GetInt32(row) != 0,
                        failure.Length == 0 ? null : failure);
                });
        });
        return found;
    }

    /// <inheritdoc />
    public void PutGenerations(IReadOnlyCollection<KeyValuePair<string, GeneratedText>> entries)
    {
        if (entries.Count == 0) return;
        Guard(() => InTransaction("generations", () =>
        {
            using (var appender = session.CreateAppender("stage_generations"))
            {
                foreach (var (key, generated) in entries)
                    appender.Append(key).Append(generated.Text).Append(generated.Stopped ? 1 : 0).Append(generated.Failure ?? "").EndRow();
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
        Guard(() =>
        {
            FillKeys("query_candidates", keys);
            ReadRows(
                "SELECT e.key, e.dimension, e.vector FROM lift_embeddings AS e WHERE e.key IN (SELECT key FROM query_candidates)",
                (chunk, row) => found[chunk.Vector(0).GetString(row)] = Decode(chunk.Vector(2).GetString(row), chunk.Vector(1).GetInt32(row)));
        });
        return found;
    }

    /// <inheritdoc />
    public void PutEmbeddings(IReadOnlyCollection<KeyValuePair<string, float[]>> entries)
    {
        if (entries.Count == 0) return;
        Guard(() => InTransaction("embeddings", () =>
        {
            using (var appender = session.CreateAppender("stage_embeddings"))
            {
                foreach (var (key, vector) in entries)
                    appender.Append(key).Append(vector.Length).Append(Encode(vector)).EndRow();
                appender.Flush();
            }
            session.Execute("INSERT INTO lift_embeddings SELECT DISTINCT ON (key) key, dimension, vector FROM stage_embeddings ON CONFLICT DO NOTHING");
            session.Execute("DELETE FROM stage_embeddings");
        }));
    }

    // The float bits as Base64 text: exact, and through the VARCHAR appender the binding already has.
    private static string Encode(float[] vector) => Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan()));

    private static float[] Decode(string text, int dimension)
    {
        var vector = new float[dimension];
        if (!Convert.TryFromBase64String(text, MemoryMarshal.AsBytes(vector.AsSpan()), out var written) || written != dimension * sizeof(float))
            throw new Sql.DuckDbException($"an embedding entry of dimension {dimension} is damaged");
        return vector;
    }
}
