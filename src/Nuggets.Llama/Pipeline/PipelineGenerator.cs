using Nuggets.Core;
using Nuggets.Core.Stages;
using Nuggets.Llama.Generation;

namespace Nuggets.Llama.Pipeline;

/// <summary>
/// The stages' <see cref="ITextGenerator"/>: renders the prompt as a user turn with a chat template and samples a reply
/// with <see cref="LlamaGenerator"/>. A prompt that leaves no room in the model's context is a failure, not an abort.
/// </summary>
internal sealed class PipelineGenerator(LlamaModel model, int batchSize, int threads) : ITextGenerator
{
    private readonly LlamaGenerator generator = new(model, batchSize, threads);

    /// <summary>Sets the compute threads of the generations that follow.</summary>
    public void SetThreads(int threads) => generator.SetThreads(threads);

    public GeneratedText Generate(GenerationRequest request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (text, templated) = Render(request.Prompt, request.ChatTemplate);
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

    private (string Text, bool Templated) Render(string prompt, string chatTemplate)
    {
        if (chatTemplate == "none" || (chatTemplate == "model" && model.ChatTemplate is null)) return (prompt, false);
        try
        {
            return (ChatTemplate.Apply(model, [new ChatMessage("user", prompt)], addAssistantPrompt: true, chatTemplate == "model" ? null : chatTemplate), true);
        }
        catch (InvalidOperationException error)
        {
            throw new NuggetsException($"stages: chatTemplate: {error.Message}", ExitCodes.Config);
        }
    }
}
