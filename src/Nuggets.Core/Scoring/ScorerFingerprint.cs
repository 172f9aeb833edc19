using System.Security.Cryptography;
using System.Text;
using Nuggets.Core.Configuration;

namespace Nuggets.Core.Scoring;

/// <summary>
/// Everything that changes a log-probability sum for the same token ids: the model file, the llama.cpp build, the
/// numeric backend (CPU variant or GPU), the BOS policy and the score definition's version. Cache entries are stored
/// under its hash, so entries of another model, build or instruction set are never reused: a sum in the cache is
/// bit for bit the sum this machine would compute (docs/exactness.md). Template and clipping change the token ids,
/// hence the keys; thread count and batch settings change nothing.
/// </summary>
/// <param name="ModelSha256">SHA-256 of the GGUF file.</param>
/// <param name="LlamaBuild">llama.cpp build of the engine.</param>
/// <param name="BosPolicy">Changes zero-shot sums; written by its spelling, so fingerprints of earlier versions stay valid.</param>
/// <param name="NumericBackend">
/// Where the arithmetic runs, e.g. <c>cpu/haswell</c>: ggml's CPU variants use other vector widths and so round
/// differently. Pin <c>model.cpuVariant</c> to share one cache between machines with different CPUs.
/// </param>
public sealed record ScorerFingerprint(string ModelSha256, string LlamaBuild, BosPolicy BosPolicy, string NumericBackend)
{
    /// <summary>
    /// Bumped when the meaning of a cached sum changes. 2: every pair decoded in the canonical layout (sums of
    /// version 1 depended on the batch they were decoded in).
    /// </summary>
    public const int ScoreDefinitionVersion = 2;

    /// <summary>The fingerprint as a short stable string (first 16 bytes of a SHA-256, hex).</summary>
    public string Id { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        $"nuggets-score-v{ScoreDefinitionVersion}\nmodel={ModelSha256}\nllama={LlamaBuild}\nbos={Spelling.Of(BosPolicy)}\nbackend={NumericBackend}")))[..32];
}
