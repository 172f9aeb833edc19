using System.Runtime.InteropServices;

namespace Nuggets.Llama.Native;

/// <summary>Vocabulary and tokenization (llama.h "Vocab", "Tokenization"). The vocab pointer is owned by the model.</summary>
internal static unsafe partial class LlamaNative
{
    [LibraryImport(Library, EntryPoint = "llama_vocab_n_tokens")]
    internal static partial int VocabNTokens(IntPtr vocab);

    [LibraryImport(Library, EntryPoint = "llama_vocab_bos")]
    internal static partial int VocabBos(IntPtr vocab);

    [LibraryImport(Library, EntryPoint = "llama_vocab_get_add_bos")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool VocabGetAddBos(IntPtr vocab);

    [LibraryImport(Library, EntryPoint = "llama_vocab_eos")]
    internal static partial int VocabEos(IntPtr vocab);

    [LibraryImport(Library, EntryPoint = "llama_vocab_is_eog")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool VocabIsEog(IntPtr vocab, int token);

    [LibraryImport(Library, EntryPoint = "llama_tokenize")]
    internal static partial int Tokenize(IntPtr vocab, byte* text, int textLength, int* tokens, int maxTokens,
        [MarshalAs(UnmanagedType.U1)] bool addSpecial, [MarshalAs(UnmanagedType.U1)] bool parseSpecial);

    [LibraryImport(Library, EntryPoint = "llama_token_to_piece")]
    internal static partial int TokenToPiece(IntPtr vocab, int token, byte* buffer, int length, int lstrip, [MarshalAs(UnmanagedType.U1)] bool special);

    [LibraryImport(Library, EntryPoint = "llama_detokenize")]
    internal static partial int Detokenize(IntPtr vocab, int* tokens, int count, byte* text, int maxLength,
        [MarshalAs(UnmanagedType.U1)] bool removeSpecial, [MarshalAs(UnmanagedType.U1)] bool unparseSpecial);
}
