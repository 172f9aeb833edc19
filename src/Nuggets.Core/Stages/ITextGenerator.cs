namespace Nuggets.Core.Stages;

/// <summary>One generation call: a user prompt (and optionally a system turn) rendered with a chat template, and how to sample.</summary>
/// <param name="Prompt">The user turn (already filled from a row).</param>
/// <param name="ChatTemplate"><c>model</c> (the model's own; the prompt as is when it has none), <c>none</c>, or a llama.cpp template name.</param>
/// <param name="MaxTokens">Most tokens generated.</param>
/// <param name="Temperature">0 = greedy.</param>
/// <param name="TopK">Top-k (0 = all).</param>
/// <param name="TopP">Nucleus mass (1 = off).</param>
/// <param name="Seed">Seed of the draw.</param>
/// <param name="System">
/// A system turn, or null for none. It is rendered as the template's system turn where the template has a system role;
/// otherwise (no template, or one that drops system turns) it is put before the user turn (<see cref="SystemTurn"/>).
/// </param>
public sealed record GenerationRequest(string Prompt, string ChatTemplate, int MaxTokens, double Temperature, int TopK, double TopP, uint Seed, string? System = null);

/// <summary>What a generation call produced.</summary>
/// <param name="Text">The generated text (prompt excluded).</param>
/// <param name="Stopped">True when the model ended it (false: cut off at MaxTokens or the context).</param>
/// <param name="Failure">Why nothing was generated (e.g. the prompt does not fit the context), or null.</param>
public sealed record GeneratedText(string Text, bool Stopped, string? Failure = null);

/// <summary>Text generation with a local model (LIFT's expand and judge stages).</summary>
public interface ITextGenerator
{
    /// <summary>Renders the system turn (if any) and the prompt with the chat template and generates; the same request gives the same text.</summary>
    /// <exception cref="NuggetsException">The chat template is unknown (exit code Config).</exception>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellation"/> was signalled (checked between the decode calls of each token); the text cut short is dropped.
    /// </exception>
    GeneratedText Generate(GenerationRequest request, CancellationToken cancellation = default);
}
