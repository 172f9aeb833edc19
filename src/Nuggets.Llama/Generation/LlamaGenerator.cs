using Nuggets.Llama.Native;

namespace Nuggets.Llama.Generation;

/// <summary>The result of one generation.</summary>
/// <param name="Text">The generated text (prompt excluded).</param>
/// <param name="Tokens">The generated tokens.</param>
/// <param name="StoppedAtEndOfGeneration">True when an end-of-generation token stopped it (not included in the text).</param>
public sealed record GenerationResult(string Text, int[] Tokens, bool StoppedAtEndOfGeneration);

/// <summary>Text generation with a llama.cpp sampler chain, used by the LIFT expansion stage.</summary>
public sealed class LlamaGenerator(LlamaModel model, int batchSize = 512, int threads = 0)
{
    private int threads = threads;

    /// <summary>Sets the compute threads of the generations that follow (0 = physical cores).</summary>
    public void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        this.threads = threads;
    }

    /// <summary>Continues <paramref name="prompt"/> (tokenized with BOS).</summary>
    public GenerationResult Generate(string prompt, SamplingOptions options) =>
        Generate(model.Tokenizer.Tokenize(prompt, addBos: true), options);

    /// <summary>Renders a chat (model template or <paramref name="template"/>) and generates the assistant's reply.</summary>
    public GenerationResult GenerateChat(IReadOnlyList<ChatMessage> messages, SamplingOptions options, string? template = null) =>
        Generate(ChatTemplate.Apply(model, messages, addAssistantPrompt: true, template), options);

    /// <summary>Continues a token sequence until an end-of-generation token, <see cref="SamplingOptions.MaxTokens"/>, or the trained context is full.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled (checked before each decode call).</exception>
    public GenerationResult Generate(int[] prompt, SamplingOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        if (prompt.Length == 0) throw new ArgumentException("The prompt is empty.", nameof(prompt));
        var limit = Math.Min(model.TrainedContextLength, prompt.Length + options.MaxTokens);
        if (prompt.Length >= limit)
            throw new ArgumentException($"The prompt ({prompt.Length} tokens) leaves no room in the context of {model.TrainedContextLength}.", nameof(prompt));

        using var context = LlamaContext.Create(model, new LlamaContextOptions { ContextLength = limit, BatchSize = Math.Min(batchSize, limit), Threads = threads });
        using var sampler = CreateSampler(options);
        using var batch = context.CreateBatch();

        var lastIndex = 0;
        for (var t = 0; t < prompt.Length; t++)
        {
            if (batch.IsFull)
            {
                cancellation.ThrowIfCancellationRequested();
                context.Decode(batch);
                batch.Clear();
            }
            lastIndex = batch.Add(prompt[t], t, 0, output: t == prompt.Length - 1);
        }
        cancellation.ThrowIfCancellationRequested();
        context.Decode(batch);

        var generated = new List<int>();
        var stopped = false;
        for (var position = prompt.Length; position < limit; position++)
        {
            var token = LlamaNative.SamplerSample(sampler, context.Handle, lastIndex);
            if (model.Tokenizer.IsEndOfGeneration(token))
            {
                stopped = true;
                break;
            }
            generated.Add(token);
            if (position + 1 == limit) break;
            batch.Clear();
            lastIndex = batch.Add(token, position, 0, output: true);
            cancellation.ThrowIfCancellationRequested();
            context.Decode(batch);
        }
        var tokens = generated.ToArray();
        return new GenerationResult(model.Tokenizer.Detokenize(tokens), tokens, stopped);
    }

    private static SafeLlamaSamplerHandle CreateSampler(SamplingOptions options)
    {
        var chainParams = LlamaNative.SamplerChainDefaultParams();
        chainParams.NoPerf = 1;
        var chain = LlamaNative.SamplerChainInit(chainParams);
        if (options.Temperature <= 0)
        {
            LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitGreedy());
            return chain;
        }
        if (options.TopK > 0) LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitTopK(options.TopK));
        if (options.TopP < 1) LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitTopP(options.TopP, 1));
        LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitTemp(options.Temperature));
        LlamaNative.SamplerChainAdd(chain, LlamaNative.SamplerInitDist(options.Seed));
        return chain;
    }
}
