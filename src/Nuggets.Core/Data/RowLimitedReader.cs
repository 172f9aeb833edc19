namespace Nuggets.Core.Data;

/// <summary>
/// A dataset cut to its first <c>maxRows</c> rows (<c>dataset.maxRows</c>): every stage — anchors, scoring,
/// outputs — sees the same shorter table, and handing out rows stops there. Describing the dataset still checks,
/// hashes and counts the files whole (the reader copies them into its table whole, README.md, "How datasets are
/// read"), so the manifest's inputs name the files as they are. Other sources read through it (an anchors file) are not cut.
/// </summary>
public sealed class RowLimitedReader(IDatasetReader inner, DatasetSource limited, long maxRows) : IDatasetReader
{
    /// <inheritdoc/>
    public DatasetDescription Describe(DatasetSource source)
    {
        var description = inner.Describe(source);
        return source == limited ? description with { Rows = Math.Min(description.Rows, maxRows) } : description;
    }

    /// <inheritdoc/>
    public IEnumerable<IReadOnlyList<Example>> ReadChunks(DatasetSource source, int chunkRows = 4096) =>
        source == limited ? Limit(source, chunkRows) : inner.ReadChunks(source, chunkRows);

    private IEnumerable<IReadOnlyList<Example>> Limit(DatasetSource source, int chunkRows)
    {
        long left = maxRows;
        foreach (var chunk in inner.ReadChunks(source, (int)Math.Min(chunkRows, maxRows)))
        {
            if (chunk.Count <= left)
            {
                left -= chunk.Count;
                yield return chunk;
            }
            else
            {
                yield return chunk.Take((int)left).ToList();
                left = 0;
            }
            // Leaving the loop disposes the inner enumerator, which closes the scan.
            if (left == 0) yield break;
        }
    }
}
