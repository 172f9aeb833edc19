namespace Nuggets.Core.Stages;

/// <summary>
/// The stages' part of the cache file: generations and embeddings under content-addressed keys (hashes of the
/// model fingerprint and the exact request), so a rerun computes only what is missing. Each Put is one transaction.
/// </summary>
public interface IStageCache
{
    /// <summary>Cached generations among <paramref name="keys"/>.</summary>
    IReadOnlyDictionary<string, GeneratedText> GetGenerations(IReadOnlyCollection<string> keys);

    /// <summary>Stores generations in one transaction.</summary>
    void PutGenerations(IReadOnlyCollection<KeyValuePair<string, GeneratedText>> entries);

    /// <summary>Cached embeddings among <paramref name="keys"/>.</summary>
    IReadOnlyDictionary<string, float[]> GetEmbeddings(IReadOnlyCollection<string> keys);

    /// <summary>Stores embeddings in one transaction.</summary>
    void PutEmbeddings(IReadOnlyCollection<KeyValuePair<string, float[]>> entries);
}
