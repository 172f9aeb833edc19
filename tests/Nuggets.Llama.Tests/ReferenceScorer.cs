using Nuggets.Core.Scoring;

namespace Nuggets.Llama.Tests;

/// <summary>
/// The independent oracle: one sequence (prefix + anchor) decoded alone in ONE call with logits at EVERY position,
/// and log-softmax over the full vocabulary in float64 with a plain loop — no shared prefix, no output selection,
/// no slicing, none of the engine's code beyond the context itself.
/// </summary>
internal static class ReferenceScorer
{
    /// <summary>Unit roundoff of float64.</summary>
    private const double U = 1.0 / (1L << 53);

    /// <summary>
    /// Ulps of error allowed for one float64 <c>exp</c>, on either side (Math.Exp here, TensorPrimitives.Exp in the
    /// engine). Both are documented as faithfully rounded or better (≤ 1 ulp); 4 leaves room for a vectorised
    /// polynomial without making the bound loose.
    /// </summary>
    private const double ExpUlps = 4;

    /// <summary>The oracle's sum and the largest difference the engine's sum may show against it.</summary>
    /// <param name="Sum">The oracle's log-probability sum.</param>
    /// <param name="Bound">
    /// The float64 error bound of the two log-softmax implementations, summed over the scored tokens. When the engine
    /// gets the very same float32 logits (the canonical layout promises it: see docs/exactness.md), its sum can
    /// differ from this one by rounding of the float64 arithmetic alone, and this is that rounding's bound.
    /// </param>
    public sealed record Result(LogProbSum Sum, double Bound);

    public static Result Score(LlamaModel model, int[] prefix, AnchorSequence anchor)
    {
        var tokens = prefix.Concat(anchor.Tokens).ToArray();
        using var context = LlamaContext.Create(model, new LlamaContextOptions { ContextLength = tokens.Length + 16, BatchSize = tokens.Length, FullPrecisionAttention = true, Threads = 1 });
        using var batch = context.CreateBatch();
        for (var i = 0; i < tokens.Length; i++) batch.Add(tokens[i], i, 0, output: true);
        context.Decode(batch);

        double sum = 0, bound = 0;
        var count = 0;
        for (var r = anchor.ResponseStart; r < anchor.Tokens.Length; r++)
        {
            var target = prefix.Length + r;
            var logits = context.Logits(target - 1);
            var (logProbability, tokenBound) = LogProbability(logits, tokens[target]);
            sum += logProbability;
            bound += tokenBound;
            count++;
        }
        // Adding the per-token terms in float64 rounds too, on both sides: at most (count) ulps of each partial sum.
        bound += 2 * count * U * Math.Abs(sum);
        return new Result(new LogProbSum(sum, count), bound);
    }

    /// <summary>
    /// log p(token) = l_t − max − log S, S = Σ exp(l_j − max) ∈ [1, V]. For two float64 evaluations of this
    /// formula from the same float32 logits, each: l_j − max is exact (floats widened to double subtract exactly
    /// when within 2^29 of each other, which logits are); each exp is off by ≤ ExpUlps·u relative; any summation
    /// order of V non-negative terms is off by ≤ (V−1)·u·S; log adds ≤ u·|log S| plus the relative error of S;
    /// the two final subtractions add ≤ u·(|l_t − max| + |result|) each. The bound is twice that (one per side).
    /// </summary>
    private static (double LogProbability, double Bound) LogProbability(ReadOnlySpan<float> logits, int token)
    {
        double max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        double total = 0;
        foreach (var l in logits) total += Math.Exp(l - max);
        var logTotal = Math.Log(total);
        var result = logits[token] - max - logTotal;
        var relativeSumError = (ExpUlps + logits.Length) * U * 1.01; // 1.01 covers the second-order terms
        var one = relativeSumError + 2 * U * Math.Abs(logTotal) + U * (Math.Abs(logits[token] - max) + Math.Abs(result)) * 2;
        return (result, 2 * one);
    }
}
