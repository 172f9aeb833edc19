using System.Text;

namespace Nuggets.Testing.Gguf;

/// <summary>
/// A SentencePiece-style vocabulary for generated models: &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, the 256 byte-fallback
/// tokens <c>&lt;0x00&gt;</c>..<c>&lt;0xFF&gt;</c>, the word marker ▁ and printable ASCII, then pieces learned from a
/// corpus: every prefix of its most frequent ▁-words (so llama.cpp's bigram merges can reach whole words).
/// Any text tokenizes, through byte fallback if nothing else.
/// </summary>
public sealed class SyntheticVocab
{
    /// <summary>Token types of llama.cpp's GGUF vocabulary.</summary>
    public enum TokenType
    {
        /// <summary>Ordinary piece.</summary>
        Normal = 1,
        /// <summary>The unknown token.</summary>
        Unknown = 2,
        /// <summary>Control tokens (BOS, EOS).</summary>
        Control = 3,
        /// <summary>Byte-fallback token.</summary>
        Byte = 6,
    }

    /// <summary>Id of &lt;unk&gt;.</summary>
    public const int Unk = 0;
    /// <summary>Id of &lt;s&gt; (BOS).</summary>
    public const int Bos = 1;
    /// <summary>Id of &lt;/s&gt; (EOS).</summary>
    public const int Eos = 2;

    /// <summary>Smallest possible vocabulary: three specials and 256 bytes.</summary>
    public const int MinimumSize = 3 + 256;

    private SyntheticVocab(List<string> tokens, List<float> scores, List<int> types)
    {
        Tokens = tokens;
        Scores = scores;
        Types = types;
    }

    /// <summary>The pieces, by id.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Merge priorities (higher merges first).</summary>
    public IReadOnlyList<float> Scores { get; }

    /// <summary><see cref="TokenType"/> of every piece, as int.</summary>
    public IReadOnlyList<int> Types { get; }

    /// <summary>Builds a vocabulary of exactly <paramref name="size"/> tokens; <paramref name="corpus"/> supplies frequent words.</summary>
    public static SyntheticVocab Build(int size, IEnumerable<string>? corpus = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, MinimumSize);
        var tokens = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<int> { (int)TokenType.Unknown, (int)TokenType.Control, (int)TokenType.Control };
        for (var b = 0; b < 256; b++)
        {
            tokens.Add($"<0x{b:X2}>");
            types.Add((int)TokenType.Byte);
        }
        var seen = new HashSet<string>(tokens, StringComparer.Ordinal);
        var pieces = new List<string> { "▁" };
        for (var c = 33; c < 127; c++) pieces.Add(((char)c).ToString());
        pieces.AddRange(FrequentWordPrefixes(corpus ?? DefaultCorpus));

        // Filler so any requested size can be met even from a tiny corpus: ▁ + two letters.
        var filler = from a in "etaoinshrdlucmfwyp" from b in "etaoinshrdlucmfwyp" select $"▁{a}{b}";
        foreach (var piece in pieces.Concat(filler))
        {
            if (tokens.Count == size) break;
            if (!seen.Add(piece)) continue;
            tokens.Add(piece);
            types.Add((int)TokenType.Normal);
        }
        for (var i = 0; tokens.Count < size; i++)
        {
            var piece = $"▁x{i}";
            if (!seen.Add(piece)) continue;
            tokens.Add(piece);
            types.Add((int)TokenType.Normal);
        }
        // Earlier (more frequent, shorter) pieces merge first.
        var scores = Enumerable.Range(0, size).Select(i => types[i] == (int)TokenType.Normal ? -(float)i : 0f).ToList();
        return new SyntheticVocab(tokens, scores, types);
    }

    private static IEnumerable<string> FrequentWordPrefixes(IEnumerable<string> corpus)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in corpus)
        {
            foreach (var word in text.Split([' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))
            {
                var piece = "▁" + word;
                counts[piece] = counts.GetValueOrDefault(piece) + 1;
            }
        }
        foreach (var (word, _) in counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            var runes = word.EnumerateRunes().ToArray();
            var builder = new StringBuilder();
            for (var i = 0; i < runes.Length; i++)
            {
                builder.Append(runes[i].ToString());
                if (i > 0) yield return builder.ToString();
            }
        }
    }

    private static readonly string[] DefaultCorpus =
    [
        "Instruction: Input: Response: the of and to a in is that for it with as was on be by this are or his from at",
        "Once upon a time there was a little girl named Lily she liked to play with her ball in the park",
        "Write a short poem about the sea. Give three tips for staying healthy. Explain what a neural network is.",
    ];
}
