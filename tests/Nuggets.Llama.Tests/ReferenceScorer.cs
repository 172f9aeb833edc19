using Nuggets.Core.Scoring;

namespace Nuggets.Llama.Tests;

/// <summary>
/// The independent oracle: one sequence (prefix + anchor) decoded alone with logits at EVERY position, and
/// log-softmax over the full vocabulary in float64 with a plain loop — no shared prefix, no output selection,
/// none of the engine's code beyond the context itself.
/// </summary>
internal static class ReferenceScorer
{
    public static LogProbSum Score(LlamaModel model, int[] prefix, AnchorSequence anchor)
    {
        var tokens = prefix.Concat(anchor.Tokens).ToArray();
        using var context = LlamaContext.Create(model, new LlamaContextOptions { ContextLength = tokens.Length + 16, BatchSize = tokens.Length, FullPrecisionAttention = true });
        using var batch = context.CreateBatch();
        for (var i = 0; i < tokens.Length; i++) batch.Add(tokens[i], i, 0, output: true);
        context.Decode(batch);

        double sum = 0;
        var count = 0;
        for (var r = anchor.ResponseStart; r < anchor.Tokens.Length; r++)
        {
            var target = prefix.Length + r;
            var logits = context.Logits(target - 1);
            sum += LogProbability(logits, tokens[target]);
            count++;
        }
        return new LogProbSum(sum, count);
    }

    private static double LogProbability(ReadOnlySpan<float> logits, int token)
    {
        double max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        double total = 0;
        foreach (var l in logits) total += Math.Exp(l - max);
        return logits[token] - max - Math.Log(total);
    }
}
