namespace Nuggets.Llama.Scoring;

/// <summary>
/// The fixed shape in which every (prefix, anchor) pair is decoded (docs/exactness.md). Everything here depends on
/// the pair's own tokens only — never on other pairs, the anchor order, batch settings or thread count — so a pair's
/// sum is the same whenever and wherever in a run it is scored.
/// </summary>
/// <remarks>
/// Why these rules, from ggml's CPU backend: a matrix product takes one kernel (tinyBLAS) for two or more rows and
/// another (<c>vec_dot</c>) for one, and the two add in different orders. Each kernel alone gives the same bits for a
/// row whatever the number of rows, the tiling and the thread split. So a token's logits stay put as long as the
/// slices it is decoded in never shrink to one token and the calls that ask for logits ask for at least two rows.
/// The rules below guarantee that for every pair (a one-token slice can only happen to a one-token sequence), which
/// also makes the engine agree bit for bit with decoding the pair as one whole sequence.
/// </remarks>
internal static class CanonicalLayout
{
    /// <summary>
    /// Tokens per <c>llama_decode</c> call (<c>n_batch</c> = <c>n_ubatch</c> of the scoring context). A constant of
    /// the score definition, not a setting: it fixes where long sequences are cut.
    /// </summary>
    public const int SliceTokens = 512;

    /// <summary>
    /// A prefix this short is not decoded on its own but in front of each anchor (the zero-shot BOS, a one-token
    /// candidate): decoded alone it would be a one-token slice.
    /// </summary>
    public const int MinimumSharedPrefix = 2;

    /// <summary>
    /// Cuts <paramref name="length"/> tokens into consecutive slices of at most <see cref="SliceTokens"/>; a final
    /// slice of one token borrows one from the slice before it.
    /// </summary>
    public static IEnumerable<(int Start, int Length)> Slices(int length)
    {
        var start = 0;
        while (start < length)
        {
            var take = Math.Min(SliceTokens, length - start);
            if (length - start - take == 1) take--;
            yield return (start, take);
            start += take;
        }
    }
}
