using Nuggets.Core.Scoring;

namespace Nuggets.Bench.Rows;

/// <summary>
/// The sums a scoring row computed, so rows can be checked against each other: one-shot sums candidate-major
/// (candidate c, anchor a at <c>c × M + a</c>) and the M zero-shot sums, each in full and clipped to the first
/// <see cref="ReferenceRow.AnchorLength"/> anchor tokens (the reference pattern's cut). The keys are the cache keys
/// the product stores the same sums under.
/// </summary>
internal sealed record PairSums
{
    public PairSums() { }

    public PairSums(Texts texts)
    {
        CandidateKeys = texts.Candidates.Select(c => TokenKey.OfCandidate(c)).ToArray();
        AnchorKeys = texts.Anchors.Select(TokenKey.OfAnchor).ToArray();
        OneShot = new double[texts.Pairs];
        OneShotClipped = new double[texts.Pairs];
        ZeroShot = new double[texts.Anchors.Length];
        ZeroShotClipped = new double[texts.Anchors.Length];
    }

    public string[] CandidateKeys { get; init; } = [];
    public string[] AnchorKeys { get; init; } = [];
    public double[] OneShot { get; init; } = [];
    public double[] OneShotClipped { get; init; } = [];
    public double[] ZeroShot { get; init; } = [];
    public double[] ZeroShotClipped { get; init; } = [];

    public int Index(int candidate, int anchor) => candidate * AnchorKeys.Length + anchor;
}
