using System.Diagnostics;
using Nuggets.Core.Scoring;
using Nuggets.Llama;
using Nuggets.Llama.Scoring;

namespace Nuggets.Bench.Rows;

/// <summary>
/// One point of the scaling table: the product's scoring engine on N candidates × M anchors (all pairs, shared
/// prefix, default settings). Engine only, so fixed costs (model load, I/O) do not bend the line.
/// </summary>
internal static class ScalingRow
{
    public static RowResult Run(ChildSpec spec, LlamaModel model)
    {
        var texts = Texts.Load(spec, model.Tokenizer);
        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = spec.Threads });
        var all = Enumerable.Range(0, texts.Anchors.Length).ToArray();
        var requests = texts.Candidates.Select(c => new PairRequest(c, all)).ToArray();
        engine.ScorePairs(texts.Anchors, [new PairRequest(texts.Candidates[0], [0])]); // warm-up: context and graphs
        engine.Statistics.Reset();
        var watch = Stopwatch.StartNew();
        engine.ScorePairs(texts.Anchors, requests);
        var statistics = engine.Statistics;
        return new RowResult
        {
            Row = spec.Row, Seconds = watch.Elapsed.TotalSeconds, Pairs = texts.Pairs, UsefulTokens = statistics.TokensDecoded,
            DecodedTokens = statistics.TokensDecoded, DecodeCalls = statistics.DecodeCalls,
            DecodeSeconds = statistics.DecodeTime.TotalSeconds, LogSoftmaxSeconds = statistics.LogSoftmaxTime.TotalSeconds,
            MeanAnchorTokens = texts.MeanAnchorTokens, MeanCandidateTokens = texts.MeanCandidateTokens,
        };
    }
}
