using Nuggets.Llama.Embeddings;

namespace Nuggets.Llama.Tests;

public class EmbeddingTests
{
    [TestCase("stories")]
    [TestCase("generated-F32")]
    public void Batched_embeddings_equal_embedding_each_text_alone(string modelName)
    {
        using var model = LlamaModel.Load(Models.Resolve(modelName));
        var texts = Texts.Alpaca(5, 0, 300).Select(r => r.Prompt + r.Output).ToArray();
        using var embedder = new LlamaEmbedder(model, batchSize: 512);

        var together = embedder.Embed(texts);

        Assert.That(together, Has.Length.EqualTo(texts.Length));
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = embedder.Embed([texts[i]])[0];
            Assert.That(together[i], Has.Length.EqualTo(model.EmbeddingSize));
            Assert.That(together[i], Is.EqualTo(alone).Within(1e-4), $"text {i}");
        }
        Assert.That(together[0], Is.Not.EqualTo(together[1]).Within(1e-3));
    }

    [Test]
    public void A_sequence_longer_than_the_starting_batch_grows_the_context_rather_than_being_clipped()
    {
        using var model = LlamaModel.Load(Models.Small());
        using var embedder = new LlamaEmbedder(model, batchSize: 16);
        var text = string.Concat(Enumerable.Repeat("word ", 30));
        Assert.That(model.Tokenizer.Tokenize(text, true).Length, Is.GreaterThan(16), "test setup");

        var grown = embedder.Embed([text])[0];

        using var wide = new LlamaEmbedder(model, batchSize: 256);
        Assert.That(grown, Is.EqualTo(wide.Embed([text])[0]).Within(1e-4));
    }
}
