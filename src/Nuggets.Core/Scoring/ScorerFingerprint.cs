using System.Security.Cryptography;
using System.Text;

namespace Nuggets.Core.Scoring;

/// <summary>
/// Everything that changes a log-probability sum for the same token ids: the model file, the llama.cpp build,
/// the BOS policy and the score definition's version. Cache entries are stored under its hash, so entries of
/// another model or build are never reused. (Template and clipping change the token ids, hence the keys.)
/// </summary>
/// <param name="ModelSha256">SHA-256 of the GGUF file.</param>
/// <param name="LlamaBuild">llama.cpp build of the engine.</param>
/// <param name="BosPolicy">reference or symmetric (changes zero-shot sums).</param>
public sealed record ScorerFingerprint(string ModelSha256, string LlamaBuild, string BosPolicy)
{
    /// <summary>Bumped when the meaning of a cached sum changes.</summary>
    public const int ScoreDefinitionVersion = 1;

    /// <summary>The fingerprint as a short stable string (first 16 bytes of a SHA-256, hex).</summary>
    public string Id { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        $"nuggets-score-v{ScoreDefinitionVersion}\nmodel={ModelSha256}\nllama={LlamaBuild}\nbos={BosPolicy}")))[..32];
}
