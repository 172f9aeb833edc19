namespace Nuggets.Core.Data;

/// <summary>
/// A reader that checks a cancellation token before each chunk it hands out, so every pass over a dataset (sampling
/// anchors, reading rows for the stages, scoring) stops within one chunk of a stop request, however large the dataset.
/// </summary>
public sealed class CancellableReader(IDatasetReader inner, CancellationToken cancellation) : IDatasetReader
{
    /// <inheritdoc/>
    public DatasetDescription Describe(DatasetSource source)
    {
        cancellation.ThrowIfCancellationRequested();
        return inner.Describe(source);
    }

    /// <inheritdoc/>
    public IEnumerable<IReadOnlyList<Example>> ReadChunks(DatasetSource source, int chunkRows = 4096)
    {
        foreach (var chunk in inner.ReadChunks(source, chunkRows))
        {
            cancellation.ThrowIfCancellationRequested();
            yield return chunk;
        }
    }
}
