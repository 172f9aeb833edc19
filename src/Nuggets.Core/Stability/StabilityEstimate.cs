using Nuggets.Core.Configuration;

namespace Nuggets.Core.Stability;

/// <summary>One scored row of the stability estimate.</summary>
/// <param name="Row">0-based dataset row.</param>
/// <param name="Wins">Wins among the anchors scored.</param>
/// <param name="AnchorsScored">Anchors scored (fewer than M for a pruned row).</param>
/// <param name="Selected">Selected by the rule on the original anchors (unscored anchors as losses).</param>
/// <param name="Frequency">Share of the bootstrap resamples (M anchors drawn, unscored anchors as losses) that select it.</param>
/// <param name="OptimisticFrequency">For a pruned row, the share of the same resamples that select it when every
/// row's unscored anchors count as wins; null for a row scored on every anchor.</param>
/// <param name="WilsonLow">Lower end of the 95% Wilson interval of wins / anchors scored (<see cref="WilsonInterval"/>).</param>
/// <param name="WilsonHigh">Upper end of that interval.</param>
public sealed record RowStability(long Row, int Wins, int AnchorsScored, bool Selected, double Frequency, double? OptimisticFrequency, double WilsonLow, double WilsonHigh)
{
    /// <summary>True when some anchors were not scored (the row was pruned).</summary>
    public bool Pruned => OptimisticFrequency is not null;
}

/// <summary>A Jaccard overlap over the resamples: its mean and 5th/95th percentiles.</summary>
/// <param name="Anchors">Anchors drawn per resample.</param>
/// <param name="Mean">Mean Jaccard overlap of the resample's selection with the original selection.</param>
/// <param name="P05">5th percentile (linear interpolation between order statistics).</param>
/// <param name="P95">95th percentile.</param>
public sealed record JaccardSummary(int Anchors, double Mean, double P05, double P95);

/// <summary>
/// How stable a selection is under a change of anchors, from <see cref="SelectionStability.Estimate"/>: read
/// <see cref="Verdict"/> first.
/// </summary>
/// <param name="Mode">The selection mode.</param>
/// <param name="Rule">The rule as text (<c>golden score &gt; 0.85</c>, <c>top 1000</c>, <c>top 10%</c>).</param>
/// <param name="AnchorCount">M, anchors of the run.</param>
/// <param name="Resamples">B.</param>
/// <param name="Seed">The seed of the resampling.</param>
/// <param name="Rows">Scored rows.</param>
/// <param name="SelectedRows">Rows selected on the original anchors.</param>
/// <param name="Jaccard">Overlap with the original selection when M anchors are drawn with replacement.</param>
/// <param name="HalfJaccard">The same with ⌊M/2⌋ anchors drawn (at least 1).</param>
/// <param name="UncertainLow">Lower edge of the uncertainty band (share of resamples).</param>
/// <param name="UncertainHigh">Upper edge of the band.</param>
/// <param name="UncertainRows">Rows selected in a share of resamples inside [low, high], in row order.</param>
/// <param name="Boundary">The golden score that separates kept from not kept: t in threshold mode; in the top modes the
/// best golden score among rows not selected (null when every row is selected).</param>
/// <param name="SelectedNearBoundary">Selected rows whose 95% Wilson interval reaches down to <see cref="Boundary"/> or below.</param>
/// <param name="PrunedRows">Rows with unscored anchors.</param>
/// <param name="PrunedSelectedOptimistically">Pruned rows selected in at least <paramref name="UncertainLow"/> of the
/// resamples when unscored anchors count as wins: how much the pruning can hide.</param>
/// <param name="RowDetails">Every scored row, in row order.</param>
/// <param name="Verdict">One line: the numbers above and whether more anchors would likely change the selection materially.</param>
public sealed record StabilityEstimate(
    SelectionMode Mode, string Rule, int AnchorCount, int Resamples, ulong Seed, int Rows, int SelectedRows,
    JaccardSummary Jaccard, JaccardSummary HalfJaccard, double UncertainLow, double UncertainHigh, IReadOnlyList<long> UncertainRows,
    double? Boundary, int SelectedNearBoundary, int PrunedRows, int PrunedSelectedOptimistically,
    IReadOnlyList<RowStability> RowDetails, string Verdict);
