using Nuggets.Core.Stages;
using Nuggets.Llama.Generation;
using Nuggets.Llama.Pipeline;

namespace Nuggets.Llama.Tests;

/// <summary>
/// A stage request's system turn is the chat template's system turn where the template has a system role, and opens
/// the user turn where it has none, or where there is no template at all.
/// </summary>
public class SystemTurnRenderingTests
{
    private static GenerationRequest Request(string chatTemplate, string? system) =>
        new("Rate this.", chatTemplate, MaxTokens: 4, Temperature: 0, TopK: 0, TopP: 1, Seed: 1, System: system);

    [Test]
    public void A_template_with_a_system_role_gets_a_system_turn()
    {
        using var model = LlamaModel.Load(Models.Small());
        var generator = new PipelineGenerator(model, batchSize: 64, threads: 1);

        Assert.That(ChatTemplate.HasSystemRole(model), Is.True, "ChatML has one");
        Assert.That(generator.Render(Request("model", "Be strict.")), Is.EqualTo((
            "<|im_start|>system\nBe strict.<|im_end|>\n<|im_start|>user\nRate this.<|im_end|>\n<|im_start|>assistant\n", true)));
        Assert.That(generator.Render(Request("model", null)).Text, Is.EqualTo("<|im_start|>user\nRate this.<|im_end|>\n<|im_start|>assistant\n"));
    }

    [Test]
    public void A_template_without_a_system_role_gets_the_system_text_at_the_start_of_the_user_turn()
    {
        using var model = LlamaModel.Load(Models.Small());
        var generator = new PipelineGenerator(model, batchSize: 64, threads: 1);

        // llama.cpp's yandex template leaves system turns out.
        Assert.That(ChatTemplate.HasSystemRole(model, "yandex"), Is.False);
        var expected = ChatTemplate.Apply(model, [new ChatMessage("user", "Be strict.\n\nRate this.")], addAssistantPrompt: true, "yandex");
        Assert.That(generator.Render(Request("yandex", "Be strict.")), Is.EqualTo((expected, true)));
    }

    [Test]
    public void Without_a_template_the_system_text_opens_the_prompt()
    {
        using var stories = LlamaModel.Load(TestPaths.StoriesModel);
        var generator = new PipelineGenerator(stories, batchSize: 64, threads: 1);

        Assert.That(generator.Render(Request("model", "Be strict.")), Is.EqualTo(("Be strict.\n\nRate this.", false)), "the model has no template");
        Assert.That(generator.Render(Request("none", " Be strict. ")), Is.EqualTo(("Be strict.\n\nRate this.", false)));
        Assert.That(generator.Render(Request("none", null)), Is.EqualTo(("Rate this.", false)));
    }
}
