using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Nuggets.Core.Anchors;
using Nuggets.Core.Pipeline;

namespace Nuggets.Core.Stages;

/// <summary>Work done by one stage: model calls made now and taken from the cache.</summary>
public sealed class StageWork
{
    /// <summary>Generation calls run through the model.</summary>
    public long Generated { get; set; }
    /// <summary>Generations taken from the cache.</summary>
    public long GenerationsCached { get; set; }
    /// <summary>Texts embedded by the model.</summary>
    public long Embedded { get; set; }
    /// <summary>Embeddings taken from the cache.</summary>
    public long EmbeddingsCached { get; set; }
}

/// <summary>
/// The model calls of the stages, through the cache: each call is keyed by a hash of the model fingerprint and the exact
/// request, looked up first, and computed only when missing; results are committed every few calls, so a killed run
/// loses little, and a stopped one commits what it finished before it stops. Without a model (<c>select</c>) a missing
/// entry is an error.
/// </summary>
/// <remarks>
/// Under <c>model.threads: auto</c> the session's <see cref="Cpu.ThreadGovernor"/> is polled before every model call,
/// so the thread count follows the load between calls.
/// </remarks>
internal sealed class StageCalls(
    IStageCache cache, string modelId, ITextGenerator? generator, IEmbedder? embedder, StageWork work,
    Action<long, long>? onProgress, CancellationToken cancellation, Cpu.ThreadGovernor? governor = null)
{
    /// <summary>Generations per cache commit: each is slow, so commit often.</summary>
    public const int GenerationsPerCommit = 8;

    /// <summary>Embeddings per model call and cache commit.</summary>
    public const int EmbeddingsPerBatch = 64;

    /// <summary>Version of what an embedding entry means (mean-pooled, L2-normalised, formatted Alpaca text).</summary>
    private const string EmbeddingKind = "embedding-v1";

    public GeneratedText[] Generate(IReadOnlyList<GenerationRequest> requests)
    {
        var keys = requests.Select(r => GenerationKey(modelId, r)).ToArray();
        var cached = cache.GetGenerations(keys.Distinct().ToArray());
        var results = new GeneratedText?[requests.Count];
        var fresh = new Dictionary<string, GeneratedText>(StringComparer.Ordinal);
        var pending = new List<KeyValuePair<string, GeneratedText>>();
        for (var i = 0; i < requests.Count; i++)
        {
            if (cached.TryGetValue(keys[i], out var hit) || fresh.TryGetValue(keys[i], out hit))
            {
                results[i] = hit;
                work.GenerationsCached++;
                continue;
            }
            GeneratedText generated;
            try
            {
                cancellation.ThrowIfCancellationRequested();
                var model = generator ?? throw NoDecodingEngine.Missing($"{requests.Count - i} or fewer stage generations");
                governor?.Poll();
                generated = model.Generate(requests[i], cancellation);
            }
            catch (OperationCanceledException)
            {
                // Stopped between or inside generations: the finished ones since the last commit are kept, not lost.
                Commit();
                throw;
            }
            results[i] = fresh[keys[i]] = generated;
            pending.Add(KeyValuePair.Create(keys[i], generated));
            work.Generated++;
            if (pending.Count >= GenerationsPerCommit) Commit();
        }
        Commit();
        return results.Select(r => r!).ToArray();

        void Commit()
        {
            if (pending.Count == 0) return;
            cache.PutGenerations(pending.ToArray());
            pending.Clear();
            onProgress?.Invoke(results.Count(r => r is not null), requests.Count);
        }
    }

    public float[][] Embed(IReadOnlyList<string> texts)
    {
        var result = new float[texts.Count][];
        for (var start = 0; start < texts.Count; start += EmbeddingsPerBatch)
        {
            cancellation.ThrowIfCancellationRequested();
            var count = Math.Min(EmbeddingsPerBatch, texts.Count - start);
            var keys = Enumerable.Range(start, count).Select(i => EmbeddingKey(modelId, texts[i])).ToArray();
            var cached = cache.GetEmbeddings(keys.Distinct().ToArray());
            var missing = Enumerable.Range(0, count).Where(i => !cached.ContainsKey(keys[i])).ToArray();
            var missingKeys = missing.Select(i => keys[i]).Distinct().ToArray();
            var fresh = new Dictionary<string, float[]>(StringComparer.Ordinal);
            if (missingKeys.Length > 0)
            {
                var model = embedder ?? throw NoDecodingEngine.Missing($"{missingKeys.Length} stage embeddings");
                var firstOfKey = missingKeys.Select(k => missing.First(i => keys[i] == k)).ToArray();
                governor?.Poll();
                var vectors = model.Embed(firstOfKey.Select(i => texts[start + i]).ToArray(), cancellation);
                for (var k = 0; k < missingKeys.Length; k++) fresh[missingKeys[k]] = vectors[k];
                cache.PutEmbeddings(fresh.ToArray());
                work.Embedded += missingKeys.Length;
            }
            work.EmbeddingsCached += count - missingKeys.Length;
            for (var i = 0; i < count; i++) result[start + i] = cached.TryGetValue(keys[i], out var v) ? v : fresh[keys[i]];
            onProgress?.Invoke(start + count, texts.Count);
        }
        return result;
    }

    /// <summary>The cache key of a generation: SHA-256 over the model fingerprint and every field of the request.</summary>
    /// <remarks>
    /// The system turn is hashed only when there is one, so requests without one keep the keys they had before system
    /// turns existed (cached generations of custom prompts stay valid); the parts are length-prefixed, so a request with
    /// a system turn can never share a key with one without.
    /// </remarks>
    public static string GenerationKey(string modelId, GenerationRequest r)
    {
        string[] parts =
        [
            "generation-v1", modelId, r.ChatTemplate, r.MaxTokens.ToString(CultureInfo.InvariantCulture),
            r.Temperature.ToString("R", CultureInfo.InvariantCulture), r.TopK.ToString(CultureInfo.InvariantCulture),
            r.TopP.ToString("R", CultureInfo.InvariantCulture), r.Seed.ToString(CultureInfo.InvariantCulture), r.Prompt,
        ];
        return Hash(r.System is null ? parts : [.. parts, r.System]);
    }

    /// <summary>The cache key of an embedding: SHA-256 over the model fingerprint and the text.</summary>
    public static string EmbeddingKey(string modelId, string text) => Hash(EmbeddingKind, modelId, text);

    /// <summary>A seed derived from the stage's seed and what is generated, so it does not depend on row order.</summary>
    public static uint DeriveSeed(int seed, params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed.ToString(CultureInfo.InvariantCulture) + "\0" + string.Join("\0", parts)));
        return BitConverter.ToUInt32(hash, 0);
    }

    private static string Hash(params string[] parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            hash.AppendData(BitConverter.GetBytes((long)bytes.Length));
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
