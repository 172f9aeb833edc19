using Nuggets.Core.Prompting;
using Nuggets.Testing.Gguf;

namespace Nuggets.Bench;

/// <summary>
/// A model the benchmark runs on, with its per-model defaults: the batch size the product would use for it and the
/// number of candidates N that keeps each row within roughly 10–60 s on 2 idle cores with M = 100 anchors.
/// </summary>
internal sealed record BenchModel(string Name, string Path, string Description, int Batch, int Candidates)
{
    public static BenchModel Resolve(string name, BenchOptions options)
    {
        BenchModel model = name switch
        {
            // Tiny (n_embd 64), so attention over the cache dominates: 256-token batches beat 512 (docs/benchmarks.md).
            "stories" => new(name, System.IO.Path.Combine(options.Shared, "models", "stories260K.gguf"),
                "stories260K: real TinyStories llama, 292K parameters, F32, vocab 512", 256, 4),
            "random30m-f16" => new(name, RandomF16(options), "random-weight llama written by tests/Nuggets.Testing: " +
                "30.5M parameters, F16, vocab 8192 (pieces learned from the Alpaca sample), n_embd 512, 7 blocks, 8 heads", 512, 1),
            _ when File.Exists(name) => new(System.IO.Path.GetFileNameWithoutExtension(name), System.IO.Path.GetFullPath(name), name, 512, 1),
            _ => throw new ArgumentException($"unknown model '{name}' (stories, random30m-f16 or a .gguf path)"),
        };
        if (options.Quick) model = model with { Candidates = 1 };
        if (options.Candidates is { } n) model = model with { Candidates = n };
        if (options.Batch is { } b) model = model with { Batch = b };
        return model;
    }

    /// <summary>Written once into the work folder; same spec and seed, so the same file on every machine.</summary>
    private static string RandomF16(BenchOptions options)
    {
        var path = System.IO.Path.Combine(options.Work, "models", "random-30M-f16.gguf");
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var corpus = Workload.ReadAlpaca(options.Shared, 0, 1000).Select(e => AlpacaTemplate.Format(e).FullText).ToList();
        var spec = new RandomLlamaSpec
        {
            VocabularySize = 8192, EmbeddingSize = 512, Layers = 7, FeedForwardSize = 1376, Heads = 8, KvHeads = 8,
            ContextLength = 4096, TensorType = GgufTensorType.F16, Seed = 30, VocabularyCorpus = corpus,
        };
        RandomLlamaModel.Write(path + ".partial", spec);
        File.Move(path + ".partial", path, overwrite: true);
        return path;
    }
}
