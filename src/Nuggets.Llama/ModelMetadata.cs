namespace Nuggets.Llama;

/// <summary>Facts about a loaded model.</summary>
/// <param name="Architecture"><c>general.architecture</c>, e.g. <c>llama</c>.</param>
/// <param name="Description">llama.cpp's one-line description.</param>
/// <param name="ParameterCount">Number of parameters.</param>
/// <param name="TrainedContextLength">Context length the model was trained with.</param>
/// <param name="VocabularySize">Number of tokens.</param>
/// <param name="EmbeddingSize">Hidden-state width.</param>
/// <param name="ChatTemplate">The model's own chat template, or null.</param>
/// <param name="FileSha256">Lower-case hex SHA-256 of the GGUF file (the model part of a scorer fingerprint).</param>
public sealed record ModelMetadata(
    string Architecture,
    string Description,
    ulong ParameterCount,
    int TrainedContextLength,
    int VocabularySize,
    int EmbeddingSize,
    string? ChatTemplate,
    string FileSha256);
