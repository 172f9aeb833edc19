using System.Globalization;
using System.Numerics;
using Nuggets.Core.Configuration;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Stability;

/// <summary>A scored row's per-anchor outcomes, as the score table's <c>outcomes</c> column holds them.</summary>
/// <param name="Row">0-based dataset row.</param>
/// <param name="Outcomes">One character per anchor in the anchors' file order: <c>1</c> a win, <c>0</c> a loss,
/// <c>-</c> not scored (the row was pruned).</param>
public sealed record OutcomeRow(long Row, string Outcomes);

/// <summary>
/// "How stable is this selection?": a bootstrap over the anchors. The M anchors stand for the tasks the data should
/// help with; another draw of M such tasks would score every row a little differently, and this estimates how much
/// the selection would move.
/// </summary>
/// <remarks>
/// <para>
/// <b>Method.</b> Each of B resamples draws M anchor indexes uniformly with replacement (<see cref="SplitMix64"/>
/// seeded with the given seed, so the same inputs and seed give the same numbers on any machine). A row's resampled
/// wins are the sum of its outcomes over the drawn multiset (an anchor drawn twice counts twice); the selection rule
/// (<see cref="WinCountRule"/>, the selector's rule: threshold compares <c>GoldenScore.Of(wins, M) &gt; t</c>, top
/// modes rank by wins with ties by row order) is applied to those wins and compared with the selection the rule makes
/// on the original outcomes. Reported: the Jaccard overlap |A ∩ B| / |A ∪ B| of each resample's selection B with the
/// original A (1 when both are empty) — its mean and 5th/95th percentiles; each row's selection frequency (share of
/// resamples selecting it); the uncertain rows, selected in a share of resamples inside a band (default [0.1, 0.9],
/// edges included).
/// </para>
/// <para>
/// <b>Would more anchors change it?</b> The same bootstrap with ⌊M/2⌋ anchors drawn (at least 1; threshold mode then
/// compares wins / ⌊M/2⌋ with t) gives the overlap one would expect from half as many anchors. Overlap grows with the
/// number of anchors and flattens as the selection settles, so the gain from M/2 to M indicates the gain from M to 2M
/// (by diminishing returns, at most about as much). The verdict calls the selection stable when the expected overlap
/// at M is at least <see cref="StableJaccard"/>, says more anchors would likely change it materially when it is
/// below that and rose by at least <see cref="MaterialGain"/> from M/2 to M, and otherwise says it is unstable but
/// more anchors of this kind help little (rows sit on the boundary whatever the anchor count). These two cut-offs are
/// conventions of this tool, not statistics. It also counts the selected rows whose 95% Wilson interval
/// (<see cref="WilsonInterval"/>, of wins / anchors scored) reaches the boundary: t in threshold mode; in the top modes
/// the best golden score among the rows not selected.
/// </para>
/// <para>
/// <b>Pruned rows</b> (some anchors not scored, <c>-</c>: exact pruning in threshold mode, or in the top modes of an
/// unsharded run). In the estimate their unscored anchors count as losses, so their resampled wins are lower bounds —
/// the way they entered the run's own selection: pruning stops a row only once it is certain not to be selected (a row
/// that can still be selected is scored on every anchor), and counting its unscored anchors as losses leaves that
/// decision as it is, so the rule on the original outcomes gives the run's selection. Because this can hide how close
/// a rejected pruned row was, every resample also applies the rule with every row's unscored anchors counted as wins
/// (an optimistic fill, on the same drawn anchors), and the estimate reports how many pruned rows that fill selects in
/// at least the band's lower share of resamples. Rows scored on every anchor are the same under both fills.
/// </para>
/// </remarks>
public static class SelectionStability
{
    /// <summary>Resamples when none are given.</summary>
    public const int DefaultResamples = 1000;

    /// <summary>Expected Jaccard overlap at or above which the verdict calls a selection stable.</summary>
    public const double StableJaccard = 0.9;

    /// <summary>Rise of the expected overlap from M/2 to M anchors at or above which more anchors would likely change the selection materially.</summary>
    public const double MaterialGain = 0.05;

    /// <summary>Estimates the stability of the selection that <paramref name="rule"/> makes on <paramref name="rows"/>.</summary>
    /// <param name="rows">Every scored row with its outcomes (any order; row numbers unique).</param>
    /// <param name="anchorCount">M; every row's outcomes have this length.</param>
    /// <param name="rule">The selection rule.</param>
    /// <param name="resamples">B, at least 1.</param>
    /// <param name="seed">Seed of the anchor draws.</param>
    /// <param name="uncertainLow">Lower edge of the uncertainty band, a share in [0, 1].</param>
    /// <param name="uncertainHigh">Upper edge, at least <paramref name="uncertainLow"/>.</param>
    /// <exception cref="ArgumentException">Outcomes of the wrong length or with other characters, or a row number twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">M or B below 1, or a band outside [0, 1].</exception>
    public static StabilityEstimate Estimate(
        IReadOnlyList<OutcomeRow> rows, int anchorCount, WinCountRule rule, int resamples = DefaultResamples, ulong seed = 0,
        double uncertainLow = 0.1, double uncertainHigh = 0.9)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfLessThan(anchorCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (!(uncertainLow >= 0 && uncertainLow <= uncertainHigh && uncertainHigh <= 1))
            throw new ArgumentOutOfRangeException(nameof(uncertainLow), $"the band [{uncertainLow}, {uncertainHigh}] must lie in [0, 1]");

        var ordered = rows.OrderBy(r => r.Row).ToArray();
        var count = ordered.Length;
        var words = (anchorCount + 63) >> 6;
        var winBits = new ulong[count * words];
        var openBits = new ulong[count * words]; // wins or unscored: the optimistic fill
        var wins = new int[count];
        var scored = new int[count];
        var pruned = new bool[count];
        for (var i = 0; i < count; i++)
        {
            if (i > 0 && ordered[i].Row == ordered[i - 1].Row) throw new ArgumentException($"row {ordered[i].Row} appears twice", nameof(rows));
            var o = ordered[i].Outcomes ?? throw new ArgumentException($"row {ordered[i].Row} has no outcomes", nameof(rows));
            if (o.Length != anchorCount) throw new ArgumentException($"row {ordered[i].Row} has {o.Length} outcomes for {anchorCount} anchors", nameof(rows));
            for (var a = 0; a < anchorCount; a++)
            {
                var bit = 1UL << (a & 63);
                switch (o[a])
                {
                    case '1': winBits[i * words + (a >> 6)] |= bit; openBits[i * words + (a >> 6)] |= bit; wins[i]++; scored[i]++; break;
                    case '0': scored[i]++; break;
                    case '-': openBits[i * words + (a >> 6)] |= bit; pruned[i] = true; break;
                    default: throw new ArgumentException($"row {ordered[i].Row}: outcome '{o[a]}' is not 1, 0 or -", nameof(rows));
                }
            }
        }
        var anyPruned = pruned.Any(p => p);

        var original = new bool[count];
        rule.Select(wins, anchorCount, original);
        var selectedCount = original.Count(s => s);

        var half = Math.Max(1, anchorCount / 2);
        var planes = new ulong[(32 - BitOperations.LeadingZeroCount((uint)anchorCount)) * words];
        var multiplicity = new int[anchorCount];
        var resampledWins = new int[count];
        var chosen = new bool[count];
        var frequency = new int[count];
        var optimistic = new int[count];
        var jaccard = new double[resamples];
        var halfJaccard = new double[resamples];
        var random = new SplitMix64(seed);
        for (var b = 0; b < resamples; b++)
        {
            var used = Draw(ref random, anchorCount, anchorCount, multiplicity, planes, words);
            Sum(winBits, planes, used, words, resampledWins);
            rule.Select(resampledWins, anchorCount, chosen);
            jaccard[b] = Jaccard(original, chosen);
            for (var i = 0; i < count; i++) if (chosen[i]) frequency[i]++;
            if (anyPruned)
            {
                Sum(openBits, planes, used, words, resampledWins);
                rule.Select(resampledWins, anchorCount, chosen);
                for (var i = 0; i < count; i++) if (chosen[i] && pruned[i]) optimistic[i]++;
            }

            used = Draw(ref random, anchorCount, half, multiplicity, planes, words);
            Sum(winBits, planes, used, words, resampledWins);
            rule.Select(resampledWins, half, chosen);
            halfJaccard[b] = Jaccard(original, chosen);
        }

        var details = new RowStability[count];
        for (var i = 0; i < count; i++)
        {
            var (low, high) = WilsonInterval.Of(wins[i], scored[i]);
            details[i] = new RowStability(ordered[i].Row, wins[i], scored[i], original[i], (double)frequency[i] / resamples,
                pruned[i] ? (double)optimistic[i] / resamples : null, low, high);
        }

        double? boundary = rule.Mode == SelectionMode.Threshold
            ? rule.Threshold
            : details.Where(d => !d.Selected).Select(d => (double?)GoldenScore.Of(d.Wins, anchorCount)).Max();
        var nearBoundary = boundary is { } edge ? details.Count(d => d.Selected && d.WilsonLow <= edge) : 0;
        var uncertain = details.Where(d => d.Frequency >= uncertainLow && d.Frequency <= uncertainHigh).Select(d => d.Row).ToArray();
        var prunedCount = pruned.Count(p => p);
        var hidden = details.Count(d => d.OptimisticFrequency is { } f && f >= uncertainLow);
        var full = Summary(anchorCount, jaccard);
        var halved = Summary(half, halfJaccard);
        var ruleText = Describe(rule);
        var verdict = Verdict(full, halved, selectedCount, count, uncertain.Length, uncertainLow, uncertainHigh, boundary, nearBoundary, prunedCount, hidden);
        return new StabilityEstimate(rule.Mode, ruleText, anchorCount, resamples, seed, count, selectedCount, full, halved,
            uncertainLow, uncertainHigh, uncertain, boundary, nearBoundary, prunedCount, hidden, details, verdict);
    }

    /// <summary>The rule as text: <c>golden score &gt; 0.85</c>, <c>top 1,000</c>, <c>top 10%</c>.</summary>
    public static string Describe(WinCountRule rule) => rule.Mode switch
    {
        SelectionMode.Threshold => $"golden score > {rule.Threshold.ToString("0.###", CultureInfo.InvariantCulture)}",
        SelectionMode.Top => $"top {rule.Top.ToString("N0", CultureInfo.InvariantCulture)}",
        SelectionMode.TopPercent => $"top {rule.TopPercent.ToString("0.##", CultureInfo.InvariantCulture)}%",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Mode, "not a selection mode"),
    };

    /// <summary>
    /// Draws <paramref name="draws"/> anchor indexes in [0, M) with replacement and writes their multiplicities as bit
    /// planes: plane p holds the anchors whose multiplicity has bit p set, so wins = Σₚ 2ᵖ · popcount(outcomes ∧ plane p).
    /// Returns the planes in use.
    /// </summary>
    private static int Draw(ref SplitMix64 random, int anchorCount, int draws, int[] multiplicity, ulong[] planes, int words)
    {
        Array.Clear(multiplicity);
        for (var k = 0; k < draws; k++) multiplicity[random.NextBelow(anchorCount)]++;
        var most = multiplicity.Max();
        var used = 32 - BitOperations.LeadingZeroCount((uint)most);
        Array.Clear(planes, 0, used * words);
        for (var a = 0; a < anchorCount; a++)
        {
            for (var m = multiplicity[a]; m != 0; m &= m - 1)
            {
                var p = BitOperations.TrailingZeroCount(m);
                planes[p * words + (a >> 6)] |= 1UL << (a & 63);
            }
        }
        return used;
    }

    private static void Sum(ulong[] bits, ulong[] planes, int used, int words, int[] wins)
    {
        for (var i = 0; i < wins.Length; i++)
        {
            var sum = 0;
            var row = i * words;
            for (var p = 0; p < used; p++)
            {
                var plane = p * words;
                var inPlane = 0;
                for (var w = 0; w < words; w++) inPlane += BitOperations.PopCount(bits[row + w] & planes[plane + w]);
                sum += inPlane << p;
            }
            wins[i] = sum;
        }
    }

    private static double Jaccard(bool[] a, bool[] b)
    {
        int both = 0, either = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] && b[i]) both++;
            if (a[i] || b[i]) either++;
        }
        return either == 0 ? 1 : (double)both / either;
    }

    private static JaccardSummary Summary(int anchors, double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        // Summed in sorted order: the mean does not depend on the order of the resamples' values.
        var mean = sorted.Sum() / sorted.Length;
        return new JaccardSummary(anchors, mean, Percentile(sorted, 0.05), Percentile(sorted, 0.95));
    }

    /// <summary>The q-quantile of sorted values, interpolating linearly between order statistics (Hyndman–Fan type 7).</summary>
    internal static double Percentile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lower = (int)Math.Floor(h);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
    }

    private static string Verdict(JaccardSummary full, JaccardSummary half, int selected, int rows, int uncertain, double low, double high,
        double? boundary, int nearBoundary, int pruned, int hidden)
    {
        var c = CultureInfo.InvariantCulture;
        string N(int n) => n.ToString("N0", c);
        string F(double v) => v.ToString("0.00", c);
        string P(double v) => (v * 100).ToString("0.#", c) + "%";
        string label, conclusion;
        var gain = full.Mean - half.Mean;
        if (full.Mean >= StableJaccard)
        {
            label = "stable";
            conclusion = "more anchors are unlikely to change it materially";
        }
        else if (gain >= MaterialGain)
        {
            label = "unstable";
            conclusion = $"more anchors would likely change it materially (overlap rose by {F(gain)} from {N(half.Anchors)} to {N(full.Anchors)} anchors)";
        }
        else
        {
            label = "unstable";
            conclusion = $"more anchors of this kind would change it little (overlap rose by only {F(gain)} from {N(half.Anchors)} to {N(full.Anchors)} anchors): its rows sit close to the boundary";
        }
        var text = $"{label}: expected overlap (Jaccard) with the selection from another draw of {N(full.Anchors)} anchors {F(full.Mean)} " +
                   $"(5-95%: {F(full.P05)}-{F(full.P95)}), {F(half.Mean)} with {N(half.Anchors)}; " +
                   $"{N(selected)} of {N(rows)} rows selected, {N(uncertain)} uncertain (selected in {P(low)}-{P(high)} of resamples)";
        if (boundary is { } b)
            text += $", {N(nearBoundary)} selected rows' 95% Wilson interval reaches the boundary {b.ToString("0.###", c)}";
        if (pruned > 0)
            text += $"; {N(hidden)} of {N(pruned)} pruned rows would be selected in at least {P(low)} of resamples if their unscored anchors were wins";
        return text + $"; {conclusion}.";
    }
}
