using Nuggets.Core.Data;

namespace Nuggets.Core.Prompting;

/// <summary>
/// Renders chat rows: everything up to the last assistant turn becomes the prompt (with the generation prompt
/// appended), the last assistant turn is the response. Implemented with the model's chat template by the engine.
/// </summary>
public interface IChatTemplate
{
    /// <summary>Renders <paramref name="messages"/>; throws <see cref="NuggetsException"/> when there is no assistant turn.</summary>
    FormattedExample Render(IReadOnlyList<ChatMessage> messages);
}
