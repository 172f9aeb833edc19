using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.Core.Prompting;
using Nuggets.Llama.Generation;

namespace Nuggets.Llama.Pipeline;

/// <summary>
/// Renders chat rows with llama.cpp's chat templates: the turns before the last assistant turn, with the assistant
/// prompt appended, are the prompt; the last assistant turn is the response (docs/scoring.md, "The text of a row").
/// </summary>
internal sealed class ChatTemplateAdapter(LlamaModel model, string? templateName) : IChatTemplate
{
    /// <summary>
    /// The adapter for <paramref name="template"/>: <c>model</c> (or <c>alpaca</c>, the default) uses the model's own
    /// template when it has one; any other value names a llama.cpp template. Null when nothing can render chats.
    /// </summary>
    public static ChatTemplateAdapter? TryCreate(LlamaModel model, string template) =>
        template is "model" or "alpaca"
            ? model.ChatTemplate is null ? null : new ChatTemplateAdapter(model, null)
            : new ChatTemplateAdapter(model, template);

    public FormattedExample Render(IReadOnlyList<Core.Data.ChatMessage> messages)
    {
        var last = -1;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == "assistant") { last = i; break; }
        }
        if (last < 0)
            throw new NuggetsException("A chat row has no assistant turn, so it has no response to score.", ExitCodes.NullValue);
        try
        {
            var turns = messages.Take(last).Select(m => new Generation.ChatMessage(m.Role, m.Content)).ToArray();
            var prompt = ChatTemplate.Apply(model, turns, addAssistantPrompt: true, templateName);
            return new FormattedExample(prompt, messages[last].Content);
        }
        catch (InvalidOperationException error)
        {
            throw new NuggetsException($"scoring.template: {error.Message}", ExitCodes.Config);
        }
    }
}
