using System.Security.Cryptography;
using Nuggets.Testing.Gguf;

namespace Nuggets.Llama.Tests;

public class TokenizerAndMetadataTests
{
    [Test]
    public void Tokenize_adds_bos_only_when_asked_and_detokenizes_back()
    {
        using var model = LlamaModel.Load(TestPaths.StoriesModel);
        var tokenizer = model.Tokenizer;
        const string text = "Once upon a time, there was a little girl named Lily.";

        var withBos = tokenizer.Tokenize(text, addBos: true);
        var withoutBos = tokenizer.Tokenize(text, addBos: false);

        Assert.That(withBos[0], Is.EqualTo(tokenizer.Bos));
        Assert.That(withBos[1..], Is.EqualTo(withoutBos));
        Assert.That(withoutBos, Does.Not.Contain(tokenizer.Bos));
        Assert.That(tokenizer.Detokenize(withoutBos).Trim(), Is.EqualTo(text));
        Assert.That(string.Concat(withoutBos.Select(t => System.Text.Encoding.UTF8.GetString(tokenizer.TokenBytes(t)))).Trim(), Is.EqualTo(text));
    }

    [Test]
    public void Special_token_text_is_plain_text_unless_parsing_is_asked_for()
    {
        using var model = LlamaModel.Load(TestPaths.StoriesModel);
        var tokenizer = model.Tokenizer;

        var plain = tokenizer.Tokenize("<s>hi", addBos: false);
        var parsed = tokenizer.Tokenize("<s>hi", addBos: false, parseSpecial: true);

        Assert.That(plain, Does.Not.Contain(tokenizer.Bos));
        Assert.That(parsed[0], Is.EqualTo(tokenizer.Bos));
    }

    [Test]
    public void Metadata_describes_the_file_and_hashes_it()
    {
        using var model = LlamaModel.Load(TestPaths.StoriesModel);
        var metadata = model.Metadata;

        using var stream = File.OpenRead(TestPaths.StoriesModel);
        Assert.That(metadata.FileSha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(stream))));
        Assert.That(metadata.Architecture, Is.EqualTo("llama"));
        Assert.That(metadata.VocabularySize, Is.EqualTo(512));
        Assert.That(metadata.TrainedContextLength, Is.EqualTo(int.Parse(model.MetadataValue("llama.context_length")!)));
        Assert.That(metadata.EmbeddingSize, Is.EqualTo(int.Parse(model.MetadataValue("llama.embedding_length")!)));
        Assert.That(metadata.ChatTemplate, Is.Null);
        Assert.That(model.MetadataValue("no.such.key"), Is.Null);
    }

    [Test]
    public void Generated_models_load_with_the_written_shape_and_template()
    {
        var spec = Models.SmallSpec(GgufTensorType.F32);
        using var model = LlamaModel.Load(Models.Small());

        Assert.That((long)model.ParameterCount, Is.EqualTo(spec.ParameterCount));
        Assert.That(model.Tokenizer.VocabularySize, Is.EqualTo(spec.VocabularySize));
        Assert.That(model.EmbeddingSize, Is.EqualTo(spec.EmbeddingSize));
        Assert.That(model.TrainedContextLength, Is.EqualTo(spec.ContextLength));
        Assert.That(model.ChatTemplate, Is.EqualTo(RandomLlamaModel.ChatMlTemplate));
        Assert.That(model.Tokenizer.Bos, Is.EqualTo(SyntheticVocab.Bos));
        // Byte fallback: text outside the learned pieces still round-trips.
        const string text = "Ünïcode ✓ and\nnewlines";
        Assert.That(model.Tokenizer.Detokenize(model.Tokenizer.Tokenize(text, addBos: false)).TrimStart(), Is.EqualTo(text));
    }

    [TestCase(GgufTensorType.F16)]
    [TestCase(GgufTensorType.Q8_0)]
    public void Reduced_precision_models_score_close_to_their_F32_original(GgufTensorType type)
    {
        using var f32 = LlamaModel.Load(Models.Small());
        using var reduced = LlamaModel.Load(Models.Small(type));
        Assert.That(reduced.Description, Does.Contain(type == GgufTensorType.F16 ? "F16" : "Q8_0"));
        var row = Texts.Alpaca(1, 0, 200)[0];
        var anchor = Texts.Anchor(f32.Tokenizer, row);

        var a = ReferenceScorer.Score(f32, [f32.Tokenizer.Bos], anchor).Sum;
        var b = ReferenceScorer.Score(reduced, [reduced.Tokenizer.Bos], anchor).Sum;

        // Same weights, rounded: per-token log-probabilities agree to quantisation noise, but not exactly.
        Assert.That(Math.Abs(a.Sum - b.Sum) / a.Count, Is.LessThan(0.05));
        Assert.That(a.Sum, Is.Not.EqualTo(b.Sum));
    }
}
