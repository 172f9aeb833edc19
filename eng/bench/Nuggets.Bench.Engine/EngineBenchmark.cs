using System.Diagnostics;
using Nuggets.Core.Scoring;
using Nuggets.Llama;
using Nuggets.Llama.Scoring;
using Nuggets.Testing.Gguf;

namespace Nuggets.Bench.Engine;

/// <summary>
/// Measures, in one process on one model: the raw decode limit (tokens/s of full n_batch batches of one
/// sequence), the naive pattern (every pair its own sequence, one pair per decode), the same pairs packed
/// several per decode without sharing, and the shared-prefix scorer.
/// </summary>
internal static class EngineBenchmark
{
    public static int Run(BenchOptions options)
    {
        var info = LlamaRuntime.Initialize();
        Console.WriteLine($"date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"cpu: {CpuModel()}; logical cpus {Environment.ProcessorCount}; physical cores {CpuTopology.PhysicalCores}; llama.cpp {info.Version} ({info.CpuVariant})");
        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
        var rows = AlpacaRow.Read(options.Data, options.Anchors + options.Candidates + 200);
        foreach (var name in options.Models) RunModel(ResolveModel(name, options, rows), options, rows);
        return 0;
    }

    private static void RunModel(string path, BenchOptions options, List<AlpacaRow> rows)
    {
        using var model = LlamaModel.Load(path, gpuLayers: 0);
        var tokenizer = model.Tokenizer;
        var anchors = rows.Take(options.Anchors).Select(r =>
            new AnchorSequence(tokenizer.Tokenize(r.Prompt + r.Output, false), tokenizer.Tokenize(r.Prompt, false).Length)).ToArray();
        var candidates = rows.Skip(options.Anchors).Take(options.Candidates).Select(r => tokenizer.Tokenize(r.Prompt + r.Output, true)).ToArray();
        var all = Enumerable.Range(0, anchors.Length).ToArray();
        var requests = candidates.Select(c => new PairRequest(c, all)).ToArray();
        var pairs = candidates.Length * anchors.Length;
        var threads = options.Threads == 0 ? CpuTopology.PhysicalCores : options.Threads;

        Console.WriteLine();
        Console.WriteLine($"## {Path.GetFileName(path)}: {model.Description}, {model.ParameterCount:N0} parameters, vocab {tokenizer.VocabularySize}");
        Console.WriteLine($"M = {anchors.Length} anchors (mean {anchors.Average(a => a.Tokens.Length):F0} tokens, {anchors.Average(a => a.ResponseLength):F0} scored), " +
                          $"{candidates.Length} candidates (mean {candidates.Average(c => c.Length):F0} tokens), {pairs} pairs, n_batch {options.BatchSize}, threads {threads}");

        var raw = RawDecode(model, candidates.Concat(anchors.Select(a => a.Tokens)).SelectMany(t => t).ToArray(), options.BatchSize, threads);
        Console.WriteLine($"raw decode limit      : {raw,10:F0} tokens/s");

        var (naiveSeconds, naiveTokens, naiveSums) = NaivePerPair(model, anchors, candidates, options.BatchSize, threads);
        Report("naive (pair per decode)", pairs, naiveSeconds, naiveTokens, raw);

        var packed = TimeEngine(model, anchors, requests, options, threads, share: false);
        Report("own sequences, packed", pairs, packed.Seconds, packed.Tokens, raw);

        var shared = TimeEngine(model, anchors, requests, options, threads, share: true);
        Report("shared prefix", pairs, shared.Seconds, shared.Tokens, raw);
        Console.WriteLine($"   decode {shared.Stats.DecodeTime.TotalSeconds:F2} s in {shared.Stats.DecodeCalls} calls, log-softmax {shared.Stats.LogSoftmaxTime.TotalSeconds:F2} s over {shared.Stats.OutputsRead} rows, other {shared.Seconds - shared.Stats.DecodeTime.TotalSeconds - shared.Stats.LogSoftmaxTime.TotalSeconds:F2} s");

        var worst = 0.0;
        for (var c = 0; c < candidates.Length; c++)
            for (var a = 0; a < anchors.Length; a++)
                worst = Math.Max(worst, Math.Abs(shared.Results[c].Sums[a].Sum - naiveSums[c * anchors.Length + a]));
        Console.WriteLine($"ratios: shared/naive pairs/s = {naiveSeconds / shared.Seconds:F2}x, shared/packed = {packed.Seconds / shared.Seconds:F2}x, " +
                          $"shared useful tokens/s / raw = {shared.Tokens / shared.Seconds / raw:F2}; max |shared - naive| per anchor sum = {worst:E1}");
    }

    private static void Report(string label, int pairs, double seconds, long tokens, double raw) =>
        Console.WriteLine($"{label,-22}: {pairs / seconds,10:F1} pairs/s, {tokens / seconds,10:F0} tokens/s ({tokens / seconds / raw:F2} of raw), {seconds:F2} s, {tokens:N0} tokens");

    private static (double Seconds, long Tokens, ScoringStatistics Stats, IReadOnlyList<PairResult> Results) TimeEngine(
        LlamaModel model, AnchorSequence[] anchors, PairRequest[] requests, BenchOptions options, int threads, bool share)
    {
        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { BatchSize = options.BatchSize, Threads = threads, SharePrefix = share });
        engine.ScorePairs(anchors, requests.Take(1).Select(r => r with { AnchorIndexes = [0, 1] }).ToArray()); // warm-up: context, graphs
        engine.Statistics.Reset();
        var watch = Stopwatch.StartNew();
        var results = engine.ScorePairs(anchors, requests);
        return (watch.Elapsed.TotalSeconds, engine.Statistics.TokensDecoded, engine.Statistics, results);
    }

    /// <summary>Full batches of one sequence, logits for the last token only: what llama_decode can do here.</summary>
    private static double RawDecode(LlamaModel model, int[] stream, int batchSize, int threads)
    {
        using var context = LlamaContext.Create(model, new LlamaContextOptions { ContextLength = 2048, BatchSize = batchSize, Threads = threads, FullPrecisionAttention = true });
        using var batch = context.CreateBatch();
        long tokens = 0;
        var offset = 0;
        void Once()
        {
            context.ClearMemory();
            batch.Clear();
            for (var i = 0; i < batchSize; i++) batch.Add(stream[(offset + i) % stream.Length], i, 0, i == batchSize - 1);
            offset += batchSize;
            context.Decode(batch);
        }
        Once();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < 5)
        {
            Once();
            tokens += batchSize;
        }
        return tokens / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The obvious implementation: for every pair, an empty cache, candidate + anchor decoded as one sequence.</summary>
    private static (double Seconds, long Tokens, double[] Sums) NaivePerPair(LlamaModel model, AnchorSequence[] anchors, int[][] candidates, int batchSize, int threads)
    {
        var longest = candidates.Max(c => c.Length) + anchors.Max(a => a.Tokens.Length);
        using var context = LlamaContext.Create(model, new LlamaContextOptions { ContextLength = longest + 256, BatchSize = batchSize, Threads = threads, FullPrecisionAttention = true });
        using var batch = context.CreateBatch();
        var scratch = new double[context.VocabularySize];
        var sums = new double[candidates.Length * anchors.Length];
        long tokens = 0;
        var watch = Stopwatch.StartNew();
        for (var c = 0; c < candidates.Length; c++)
        {
            for (var a = 0; a < anchors.Length; a++)
            {
                context.ClearMemory();
                var sequence = candidates[c].Concat(anchors[a].Tokens).ToArray();
                var firstScored = candidates[c].Length + anchors[a].ResponseStart;
                var pending = new List<(int Index, int Target)>();
                double sum = 0;
                for (var q = 0; q < sequence.Length; q++)
                {
                    if (batch.IsFull) Flush();
                    var output = q + 1 >= firstScored && q + 1 < sequence.Length;
                    var index = batch.Add(sequence[q], q, 0, output);
                    if (output) pending.Add((index, sequence[q + 1]));
                }
                Flush();
                sums[c * anchors.Length + a] = sum;
                tokens += sequence.Length;

                void Flush()
                {
                    context.Decode(batch);
                    foreach (var (index, target) in pending) sum += LogSoftmax.LogProbability(context.Logits(index), target, scratch);
                    pending.Clear();
                    batch.Clear();
                }
            }
        }
        return (watch.Elapsed.TotalSeconds, tokens, sums);
    }

    private static string ResolveModel(string name, BenchOptions options, List<AlpacaRow> rows)
    {
        if (name == "stories") return Path.Combine(options.Shared, "models", "stories260K.gguf");
        if (name != "random30m") return name;
        // ~30M parameters, layer-heavy like larger LLMs: vocab 8192 (pieces learned from the Alpaca sample), 512 wide, 7 blocks.
        var spec = new RandomLlamaSpec
        {
            VocabularySize = 8192, EmbeddingSize = 512, Layers = 7, FeedForwardSize = 1376, Heads = 8, KvHeads = 8,
            ContextLength = 4096, TensorType = GgufTensorType.F32, Seed = 30,
            VocabularyCorpus = rows.Select(r => r.Prompt + r.Output).ToList(),
        };
        Directory.CreateDirectory(options.WorkDirectory);
        var path = Path.Combine(options.WorkDirectory, $"random-{spec.ParameterCount / 1_000_000}M-f32.gguf");
        if (!File.Exists(path)) RandomLlamaModel.Write(path, spec);
        return path;
    }

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
}
