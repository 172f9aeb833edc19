using Nuggets.Core.Anchors;
using Nuggets.Core.Prompting;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>Turns anchors into token sequences exactly as docs/scoring.md, "Token sequences" defines, with the optional clip.</summary>
internal static class AnchorTokenizer
{
    public static AnchorSequence[] Tokenize(AnchorSet anchors, IScoringEngine engine, ExampleFormatter formatter, int? maxTokens)
    {
        return anchors.Examples.Select(example =>
        {
            var text = formatter.Format(example);
            var promptLength = engine.Tokenize(text.Prompt, addBos: false).Length;
            var tokens = engine.Tokenize(text.FullText, addBos: false);
            // The reference clips prompt + response to 200 tokens; only when asked, never silently.
            if (maxTokens is { } max && tokens.Length > max) tokens = tokens[..max];
            if (promptLength < 1 || tokens.Length - promptLength < 1)
                throw new NuggetsException(
                    $"Anchor row {example.Row} has no response tokens to score" +
                    (maxTokens is null ? "." : $" within scoring.anchorMaxTokens = {maxTokens} (its prompt alone is {promptLength} tokens)."),
                    ExitCodes.Config);
            return new AnchorSequence(tokens, promptLength);
        }).ToArray();
    }
}
