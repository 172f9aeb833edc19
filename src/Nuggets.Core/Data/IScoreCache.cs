using Nuggets.Core.Scoring;

namespace Nuggets.Core.Data;

/// <summary>One cached one-shot result: candidate and anchor keys (content-addressed token hashes) and the sum.</summary>
public sealed record PairEntry(string CandidateKey, string AnchorKey, LogProbSum Sum);

/// <summary>Counts of one fingerprint in a cache.</summary>
public sealed record FingerprintStats(string Fingerprint, long ZeroShot, long Pairs);

/// <summary>
/// The persistent score cache: zero-shot sums per anchor and one-shot sums per (candidate, anchor), each under
/// a scorer fingerprint. Keys are content hashes computed by the pipeline (lower-case hex SHA-256, as
/// <see cref="Scoring.TokenKey"/> makes them); the cache only stores them, and may store them as their 32 bytes.
/// Writes are transactional: a killed process loses at most the batch being written. Whoever opened it closes it
/// (<see cref="Pipeline.RunCaches"/>).
/// </summary>
public interface IScoreCache
{
    /// <summary>Cached zero-shot sums for the given anchor keys (missing keys are absent from the result).</summary>
    IReadOnlyDictionary<string, LogProbSum> GetZeroShot(string fingerprint, IReadOnlyCollection<string> anchorKeys);

    /// <summary>Stores zero-shot sums in one transaction.</summary>
    void PutZeroShot(string fingerprint, IReadOnlyCollection<KeyValuePair<string, LogProbSum>> sums);

    /// <summary>Cached one-shot sums for every (candidate, anchor) pair among the given keys.</summary>
    IReadOnlyDictionary<(string CandidateKey, string AnchorKey), LogProbSum> GetPairs(
        string fingerprint, IReadOnlyCollection<string> candidateKeys, IReadOnlyCollection<string> anchorKeys);

    /// <summary>Stores one-shot sums in one transaction (a batch).</summary>
    void PutPairs(string fingerprint, IReadOnlyCollection<PairEntry> entries);

    /// <summary>Entry counts per fingerprint.</summary>
    IReadOnlyList<FingerprintStats> Stats();
}
