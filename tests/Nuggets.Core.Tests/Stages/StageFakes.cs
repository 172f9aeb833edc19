using Nuggets.Core.Anchors;
using Nuggets.Core.Data;
using Nuggets.Core.Stages;

namespace Nuggets.Core.Tests.Stages;

/// <summary>A generator whose text is a function of the prompt and seed; replies for prompts containing a marker can be scripted.</summary>
internal sealed class FakeGenerator : ITextGenerator
{
    public int Calls { get; private set; }
    public List<(string Marker, GeneratedText Reply)> Scripted { get; } = [];

    /// <summary>Every request received, in order.</summary>
    public List<GenerationRequest> Requests { get; } = [];

    public GeneratedText Generate(GenerationRequest request, CancellationToken cancellation = default)
    {
        Calls++;
        Requests.Add(request);
        foreach (var (marker, reply) in Scripted)
            if (request.Prompt.Contains(marker, StringComparison.Ordinal)) return reply;
        return new GeneratedText($"Variant {request.Seed % 1000} of {request.Prompt.Length}", Stopped: true);
    }
}

/// <summary>An embedder mapping each text to a vector derived from its hash, or a planted vector.</summary>
internal sealed class FakeEmbedder : IEmbedder
{
    public int Embedded { get; private set; }
    public Dictionary<string, float[]> Planted { get; } = [];

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellation = default)
    {
        Embedded += texts.Count;
        return texts.Select(t => Planted.FirstOrDefault(p => t.Contains(p.Key, StringComparison.Ordinal)).Value ?? Hashed(t)).ToArray();
    }

    private static float[] Hashed(string text)
    {
        var random = new Random(text.GetHashCode(StringComparison.Ordinal));
        return Enumerable.Range(0, 8).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}

internal sealed class InMemoryStageCache : IStageCache
{
    public Dictionary<string, GeneratedText> Generations { get; } = [];
    public Dictionary<string, float[]> Embeddings { get; } = [];

    public IReadOnlyDictionary<string, GeneratedText> GetGenerations(IReadOnlyCollection<string> keys) =>
        keys.Where(Generations.ContainsKey).Distinct().ToDictionary(k => k, k => Generations[k]);

    public void PutGenerations(IReadOnlyCollection<KeyValuePair<string, GeneratedText>> entries)
    {
        foreach (var (k, v) in entries) Generations[k] = v;
    }

    public IReadOnlyDictionary<string, float[]> GetEmbeddings(IReadOnlyCollection<string> keys) =>
        keys.Where(Embeddings.ContainsKey).Distinct().ToDictionary(k => k, k => Embeddings[k]);

    public void PutEmbeddings(IReadOnlyCollection<KeyValuePair<string, float[]>> entries)
    {
        foreach (var (k, v) in entries) Embeddings[k] = v;
    }
}

internal static class StageRows
{
    public static List<StageRow> Of(params (string Instruction, string Output)[] rows) =>
        rows.Select((r, i) => new StageRow(new Example(i, r.Instruction, "", r.Output), i, "input", 0)).ToList();
}
