using System.Text;
using Nuggets.Llama.Native;

namespace Nuggets.Llama;

/// <summary>The tokenizer of a <see cref="LlamaModel"/> (valid while the model is).</summary>
public sealed unsafe class LlamaTokenizer
{
    private readonly LlamaModel model;
    private readonly IntPtr vocab;

    internal LlamaTokenizer(LlamaModel model, IntPtr vocab)
    {
        this.model = model;
        this.vocab = vocab;
    }

    /// <summary>Number of tokens in the vocabulary.</summary>
    public int VocabularySize { get { EnsureAlive(); return LlamaNative.VocabNTokens(vocab); } }

    /// <summary>The beginning-of-sequence token.</summary>
    public int Bos { get { EnsureAlive(); return LlamaNative.VocabBos(vocab); } }

    /// <summary>
    /// True when the model's tokenizer puts BOS before a text (GGUF <c>tokenizer.ggml.add_bos_token</c>); false for
    /// vocabularies that do without one, where tokenizing "with BOS" adds nothing.
    /// </summary>
    public bool AddsBos { get { EnsureAlive(); return LlamaNative.VocabGetAddBos(vocab) && Bos >= 0; } }

    /// <summary>The end-of-sequence token.</summary>
    public int Eos { get { EnsureAlive(); return LlamaNative.VocabEos(vocab); } }

    /// <summary>True for tokens that end generation (EOS, EOT, ...).</summary>
    public bool IsEndOfGeneration(int token)
    {
        EnsureAlive();
        return LlamaNative.VocabIsEog(vocab, token);
    }

    /// <summary>
    /// Tokenizes <paramref name="text"/>. <paramref name="addBos"/> prepends BOS (when the model has one);
    /// <paramref name="parseSpecial"/> turns text such as <c>&lt;s&gt;</c> into control tokens, and is off by default
    /// so dataset text can never inject them.
    /// </summary>
    public int[] Tokenize(string text, bool addBos, bool parseSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var tokens = new int[bytes.Length + 2];
        while (true)
        {
            int count;
            fixed (byte* t = bytes)
            fixed (int* o = tokens)
            {
                EnsureAlive();
                count = LlamaNative.Tokenize(vocab, t, bytes.Length, o, tokens.Length, addBos, parseSpecial);
            }
            if (count == int.MinValue)
                throw new ArgumentException("The text tokenizes to more than 2^31 tokens.", nameof(text));
            if (count >= 0) return tokens[..count];
            tokens = new int[-count];
        }
    }

    /// <summary>The text of one token (control tokens render as empty unless <paramref name="special"/>).</summary>
    public byte[] TokenBytes(int token, bool special = false)
    {
        var buffer = new byte[64];
        while (true)
        {
            int length;
            EnsureAlive();
            fixed (byte* b = buffer) length = LlamaNative.TokenToPiece(vocab, token, b, buffer.Length, 0, special);
            if (length >= 0) return buffer[..length];
            buffer = new byte[-length];
        }
    }

    /// <summary>Turns tokens back into text; <paramref name="renderSpecial"/> keeps control tokens such as BOS visible.</summary>
    public string Detokenize(ReadOnlySpan<int> tokens, bool renderSpecial = false)
    {
        var buffer = new byte[Math.Max(16, tokens.Length * 8)];
        while (true)
        {
            int length;
            fixed (int* t = tokens)
            fixed (byte* b = buffer)
            {
                EnsureAlive();
                length = LlamaNative.Detokenize(vocab, t, tokens.Length, b, buffer.Length, removeSpecial: false, unparseSpecial: renderSpecial);
            }
            if (length >= 0) return Encoding.UTF8.GetString(buffer, 0, length);
            buffer = new byte[-length];
        }
    }

    // The vocab pointer dies with the model; refuse calls after Dispose instead of reading freed memory.
    private void EnsureAlive() => ObjectDisposedException.ThrowIf(model.Handle.IsClosed, model);
}
