using Nuggets.Llama.Generation;

namespace Nuggets.Llama.Tests;

public class GenerationTests
{
    [Test]
    public void Greedy_generation_follows_the_argmax_of_the_logits()
    {
        using var model = LlamaModel.Load(TestPaths.StoriesModel);
        var prompt = model.Tokenizer.Tokenize("Once upon a time", addBos: true);
        var generated = new LlamaGenerator(model).Generate(prompt, SamplingOptions.Greedy with { MaxTokens = 12 });

        // Independent oracle: decode prompt + generated tokens as one sequence, check each was the argmax.
        var all = prompt.Concat(generated.Tokens).ToArray();
        using var context = LlamaContext.Create(model, new LlamaContextOptions { ContextLength = 128, BatchSize = 128 });
        using var batch = context.CreateBatch();
        for (var i = 0; i < all.Length; i++) batch.Add(all[i], i, 0, output: true);
        context.Decode(batch);
        for (var i = 0; i < generated.Tokens.Length; i++)
        {
            var logits = context.Logits(prompt.Length - 1 + i).ToArray();
            Assert.That(generated.Tokens[i], Is.EqualTo(Array.IndexOf(logits, logits.Max())), $"token {i}");
        }
        Assert.That(generated.Tokens.Length == 12 || generated.StoppedAtEndOfGeneration, Is.True);
        Assert.That(generated.Text, Is.EqualTo(model.Tokenizer.Detokenize(generated.Tokens)));
    }

    [Test]
    public void Seeded_sampling_repeats_with_the_same_seed_and_stops_at_max_tokens()
    {
        using var model = LlamaModel.Load(TestPaths.StoriesModel);
        var generator = new LlamaGenerator(model);
        var options = new SamplingOptions { Temperature = 1.5f, TopK = 100, TopP = 0.99f, MaxTokens = 20 };

        var a = generator.Generate("Once upon a time", options with { Seed = 1 });
        var b = generator.Generate("Once upon a time", options with { Seed = 1 });
        var others = Enumerable.Range(2, 4).Select(s => generator.Generate("Once upon a time", options with { Seed = (uint)s }).Text);

        Assert.That(b.Tokens, Is.EqualTo(a.Tokens));
        Assert.That(a.Tokens.Length, Is.LessThanOrEqualTo(20));
        Assert.That(others, Has.Some.Not.EqualTo(a.Text), "different seeds should not all give the same text");
    }

    [Test]
    public void Chat_templates_come_from_the_model_or_by_name()
    {
        using var generated = LlamaModel.Load(Models.Small());
        using var stories = LlamaModel.Load(TestPaths.StoriesModel);
        ChatMessage[] chat = [new("user", "Hello there")];

        var own = ChatTemplate.Apply(generated, chat, addAssistantPrompt: true);
        var named = ChatTemplate.Apply(stories, chat, addAssistantPrompt: true, template: "chatml");

        Assert.That(own, Is.EqualTo("<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n"));
        Assert.That(named, Is.EqualTo(own));
        Assert.That(() => ChatTemplate.Apply(stories, chat, true), Throws.InvalidOperationException.With.Message.Contains("no chat template"));
        var reply = new LlamaGenerator(generated).GenerateChat(chat, SamplingOptions.Greedy with { MaxTokens = 5 });
        Assert.That(reply.Tokens.Length, Is.InRange(0, 5));
    }
}
