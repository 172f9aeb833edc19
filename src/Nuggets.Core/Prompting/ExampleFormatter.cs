using Nuggets.Core.Data;

namespace Nuggets.Core.Prompting;

/// <summary>Chooses the rendering for each row: the Alpaca template for flat rows, the chat template for chat rows.</summary>
public sealed class ExampleFormatter(IChatTemplate? chatTemplate)
{
    /// <summary>Formats one example.</summary>
    /// <exception cref="NuggetsException">A chat row without a chat template to render it.</exception>
    public FormattedExample Format(Example example) =>
        example.Messages is { } messages
            ? (chatTemplate ?? throw new NuggetsException(
                $"Row {example.Row} is a chat row, but no chat template is available: set 'scoring.template' to a llama.cpp template name or use a model that has one.",
                ExitCodes.Config)).Render(messages)
            : AlpacaTemplate.Format(example);
}
