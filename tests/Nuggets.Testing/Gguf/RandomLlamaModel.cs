namespace Nuggets.Testing.Gguf;

/// <summary>The shape of a random-weight llama model.</summary>
public sealed record RandomLlamaSpec
{
    /// <summary>Vocabulary size (≥ 259: specials + bytes).</summary>
    public int VocabularySize { get; init; } = 512;

    /// <summary>Hidden width; a multiple of 32 when <see cref="TensorType"/> is Q8_0.</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>Transformer blocks.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Feed-forward width; a multiple of 32 for Q8_0.</summary>
    public int FeedForwardSize { get; init; } = 128;

    /// <summary>Attention heads.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Key/value heads (grouped-query attention when fewer than <see cref="Heads"/>).</summary>
    public int KvHeads { get; init; } = 2;

    /// <summary>Trained context length written to the file.</summary>
    public int ContextLength { get; init; } = 2048;

    /// <summary>Type of the 2-D weight matrices (norms stay F32, as in real conversions).</summary>
    public GgufTensorType TensorType { get; init; } = GgufTensorType.F32;

    /// <summary>Seed of the weights.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Texts whose frequent words become vocabulary pieces (null: a small built-in sample).</summary>
    public IReadOnlyList<string>? VocabularyCorpus { get; init; }

    /// <summary>Written as <c>tokenizer.ggml.add_bos_token</c>: false makes a vocabulary whose tokenizer adds no BOS.</summary>
    public bool AddBos { get; init; } = true;

    /// <summary>Written as <c>tokenizer.chat_template</c> when set.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>
    /// Factor on the spread of the attention output matrices (<c>attn_output.weight</c>); 1 = the usual 1/sqrt(e).
    /// A small factor makes what a token attends to (a one-shot prefix, say) move its logits only slightly, so
    /// one-shot and zero-shot sums differ by little: near-ties for golden-score tests. It scales the same random
    /// draws, so at 1 the file is byte-identical to one written without it.
    /// </summary>
    public double AttentionOutputScale { get; init; } = 1.0;

    /// <summary>Number of parameters the file will hold.</summary>
    public long ParameterCount
    {
        get
        {
            long e = EmbeddingSize, kv = (long)EmbeddingSize / Heads * KvHeads, f = FeedForwardSize;
            var perLayer = 2 * e + e * e * 2 + 2 * e * kv + 3 * e * f;
            return 2L * VocabularySize * e + e + Layers * perLayer;
        }
    }
}

/// <summary>Writes llama-architecture GGUF models with random weights, for tests and benchmarks at sizes no real tiny model covers.</summary>
public static class RandomLlamaModel
{
    /// <summary>A ChatML template (llama.cpp recognises it by its markers).</summary>
    public const string ChatMlTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /// <summary>Writes the model to <paramref name="path"/>.</summary>
    public static void Write(string path, RandomLlamaSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.EmbeddingSize % spec.Heads != 0 || spec.Heads % spec.KvHeads != 0)
            throw new ArgumentException("EmbeddingSize must divide into Heads, and Heads into KvHeads.");
        var vocab = SyntheticVocab.Build(spec.VocabularySize, spec.VocabularyCorpus);
        var e = spec.EmbeddingSize;
        var kv = e / spec.Heads * spec.KvHeads;
        var random = new Random(spec.Seed);

        var writer = new GgufWriter()
            .Add("general.architecture", "llama")
            .Add("general.name", $"random-llama-{spec.ParameterCount}")
            .Add("general.file_type", FileType(spec.TensorType))
            .Add("llama.context_length", (uint)spec.ContextLength)
            .Add("llama.embedding_length", (uint)e)
            .Add("llama.block_count", (uint)spec.Layers)
            .Add("llama.feed_forward_length", (uint)spec.FeedForwardSize)
            .Add("llama.attention.head_count", (uint)spec.Heads)
            .Add("llama.attention.head_count_kv", (uint)spec.KvHeads)
            .Add("llama.rope.dimension_count", (uint)(e / spec.Heads))
            .Add("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .Add("tokenizer.ggml.model", "llama")
            .Add("tokenizer.ggml.tokens", vocab.Tokens)
            .Add("tokenizer.ggml.scores", vocab.Scores)
            .Add("tokenizer.ggml.token_type", vocab.Types)
            .Add("tokenizer.ggml.bos_token_id", (uint)SyntheticVocab.Bos)
            .Add("tokenizer.ggml.eos_token_id", (uint)SyntheticVocab.Eos)
            .Add("tokenizer.ggml.unknown_token_id", (uint)SyntheticVocab.Unk)
            .Add("tokenizer.ggml.add_bos_token", spec.AddBos);
        if (spec.ChatTemplate is not null) writer.Add("tokenizer.chat_template", spec.ChatTemplate);

        var type = spec.TensorType;
        // Unit-variance embeddings and 1/sqrt(fan-in) matrices keep activations O(1), and an output scale of
        // 2/sqrt(e) gives logits with a spread of ~2: predictions then depend on the context, which the
        // equivalence tests need (a near-uniform model would agree with itself even if attention were wrong).
        writer.AddTensor("token_embd.weight", [e, spec.VocabularySize], type, Normal(random, 1.0));
        writer.AddTensor("output_norm.weight", [e], GgufTensorType.F32, Constant(1f));
        writer.AddTensor("output.weight", [e, spec.VocabularySize], type, Normal(random, 2.0 / Math.Sqrt(e)));
        for (var layer = 0; layer < spec.Layers; layer++)
        {
            var prefix = $"blk.{layer}.";
            var inScale = 1.0 / Math.Sqrt(e);
            writer.AddTensor(prefix + "attn_norm.weight", [e], GgufTensorType.F32, Constant(1f));
            writer.AddTensor(prefix + "attn_q.weight", [e, e], type, Normal(random, inScale));
            writer.AddTensor(prefix + "attn_k.weight", [e, kv], type, Normal(random, inScale));
            writer.AddTensor(prefix + "attn_v.weight", [e, kv], type, Normal(random, inScale));
            writer.AddTensor(prefix + "attn_output.weight", [e, e], type, Normal(random, inScale * spec.AttentionOutputScale));
            writer.AddTensor(prefix + "ffn_norm.weight", [e], GgufTensorType.F32, Constant(1f));
            writer.AddTensor(prefix + "ffn_gate.weight", [e, spec.FeedForwardSize], type, Normal(random, inScale));
            writer.AddTensor(prefix + "ffn_up.weight", [e, spec.FeedForwardSize], type, Normal(random, inScale));
            writer.AddTensor(prefix + "ffn_down.weight", [spec.FeedForwardSize, e], type, Normal(random, 1.0 / Math.Sqrt(spec.FeedForwardSize)));
        }
        writer.Write(path);
    }

    // llama_ftype: all F32 = 0, mostly F16 = 1, mostly Q8_0 = 7.
    private static uint FileType(GgufTensorType type) => type switch
    {
        GgufTensorType.F32 => 0,
        GgufTensorType.F16 => 1,
        GgufTensorType.Q8_0 => 7,
        _ => throw new NotSupportedException(type.ToString()),
    };

    private static Action<Span<float>> Constant(float value) => span => span.Fill(value);

    private static Action<Span<float>> Normal(Random random, double scale) => span =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            // Box-Muller; one value per pair is enough here.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            span[i] = (float)(scale * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    };
}
