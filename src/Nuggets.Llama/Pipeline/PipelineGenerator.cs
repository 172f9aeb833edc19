using Nuggets.Core;
using Nuggets.Core.Stages;
using Nuggets.Llama.Generation;

namespace Nuggets.Llama.Pipeline;

/// <summary>
/// The stages' <see cref="ITextGenerator"/>: renders the request's system turn and prompt with a chat template and
/// samples a reply with <see cref="LlamaGenerator"/>. A prompt that leaves no room in the model's context is a failure,
/// not an abort.
/// </summary>
internal sealed class PipelineGenerator(LlamaModel model, int batchSize, int threads) : ITextGenerator
{
    private readonly LlamaGenerator generator = new(model, batchSize, threads);

    // Whether each template used so far (keyed by name; "" = the model's own) has a system role: probed once, since
    // the answer depends only on the template.
    private readonly Dictionary<string, bool> systemRoles = new(StringComparer.Ordinal);

    /// <summary>Sets the compute threads of the generations that follow.</summary>
    public void SetThreads(int threads) => generator.SetThreads(threads);

    public GeneratedText Generate(GenerationRequest request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (text, templated) = Render(request);
        // A template's control tokens (<|im_start|>, ...) are only recognised when special-token parsing is on.
        var tokens = model.Tokenizer.Tokenize(text, addBos: true, parseSpecial: templated);
        // Templates that write the BOS text themselves would otherwise start with two.
        if (tokens.Length > 1 && tokens[0] == model.Tokenizer.Bos && tokens[1] == tokens[0]) tokens = tokens[1..];
        if (tokens.Length >= model.TrainedContextLength)
            return new GeneratedText("", false, "prompt longer than the context");
        var result = generator.Generate(tokens, new SamplingOptions
        {
            Temperature = (float)request.Temperature,
            TopK = request.TopK,
            TopP = (float)request.TopP,
            Seed = request.Seed,
            MaxTokens = request.MaxTokens,
        }, cancellation);
        return new GeneratedText(result.Text, result.StoppedAtEndOfGeneration);
    }

    /// <summary>
    /// The text the model reads, and whether a chat template made it. The system turn is the template's own where it
    /// has a system role; without a template, or with one that would drop it, it opens the user turn instead.
    /// </summary>
    internal (string Text, bool Templated) Render(GenerationRequest request)
    {
        var chatTemplate = request.ChatTemplate;
        if (chatTemplate == "none" || (chatTemplate == "model" && model.ChatTemplate is null))
            return (SystemTurn.PrependTo(request.Prompt, request.System), false);
        var name = chatTemplate == "model" ? null : chatTemplate;
        try
        {
            ChatMessage[] turns = string.IsNullOrWhiteSpace(request.System) ? [new("user", request.Prompt)]
                : HasSystemRole(name) ? [new("system", request.System), new("user", request.Prompt)]
                : [new("user", SystemTurn.PrependTo(request.Prompt, request.System))];
            return (ChatTemplate.Apply(model, turns, addAssistantPrompt: true, name), true);
        }
        catch (InvalidOperationException error)
        {
            throw new NuggetsException($"stages: chatTemplate: {error.Message}", ExitCodes.Config);
        }
    }

    private bool HasSystemRole(string? name)
    {
        var key = name ?? "";
        if (!systemRoles.TryGetValue(key, out var has)) systemRoles[key] = has = ChatTemplate.HasSystemRole(model, name);
        return has;
    }
}
