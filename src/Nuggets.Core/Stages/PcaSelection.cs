using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Nuggets.Core.Stages;

/// <summary>The principal components kept and each row's variance along them.</summary>
/// <param name="ExplainedVarianceRatios">Every component's share of the total variance, largest first.</param>
/// <param name="Components">Components kept: the fewest whose shares reach the asked-for explained variance.</param>
/// <param name="RowVariance">Per row: the (population) variance of its reduced vector's coordinates.</param>
public sealed record PcaResult(double[] ExplainedVarianceRatios, int Components, double[] RowVariance);

/// <summary>
/// LIFT's variety curation: standardise each embedding dimension, PCA keeping a share of the variance, and rank rows by
/// the variance of their reduced vectors. PCA goes through the eigen-decomposition of the d × d correlation matrix
/// (accumulated in row blocks, so memory is d², not n × n), with MathNet's symmetric EVD.
/// </summary>
public static class PcaSelection
{
    private const int BlockRows = 1024;

    /// <summary>Runs the PCA over <paramref name="vectors"/> (all of one length).</summary>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellation"/> was signalled (checked between row blocks; the eigen-decomposition itself is one call).
    /// </exception>
    public static PcaResult Compute(IReadOnlyList<float[]> vectors, double explainedVariance, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var n = vectors.Count;
        if (n == 0) return new PcaResult([], 0, []);
        var d = vectors[0].Length;
        if (vectors.Any(v => v.Length != d)) throw new ArgumentException("The vectors differ in length.", nameof(vectors));

        var (mean, scale) = Standardisation(vectors, d);
        var covariance = Matrix<double>.Build.Dense(d, d);
        for (var start = 0; start < n; start += BlockRows)
        {
            cancellation.ThrowIfCancellationRequested();
            var block = Standardised(vectors, start, Math.Min(BlockRows, n - start), mean, scale);
            covariance += block.TransposeThisAndMultiply(block);
        }
        covariance /= Math.Max(1, n - 1);

        cancellation.ThrowIfCancellationRequested();
        var evd = covariance.Evd(Symmetricity.Symmetric);
        // MathNet returns eigenvalues in ascending order; round-off can make null directions slightly negative.
        var order = Enumerable.Range(0, d).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var values = order.Select(i => Math.Max(0, evd.EigenValues[i].Real)).ToArray();
        var total = values.Sum();
        var ratios = total > 0 ? values.Select(v => v / total).ToArray() : new double[d];

        var kept = 0;
        var cumulative = 0.0;
        while (kept < d && total > 0)
        {
            cumulative += ratios[kept++];
            if (cumulative >= explainedVariance - 1e-12) break;
        }
        var variance = new double[n];
        if (kept > 0)
        {
            var basis = Matrix<double>.Build.Dense(d, kept, (r, c) => evd.EigenVectors[r, order[c]]);
            FixSigns(basis);
            for (var start = 0; start < n; start += BlockRows)
            {
                cancellation.ThrowIfCancellationRequested();
                var rows = Math.Min(BlockRows, n - start);
                var reduced = Standardised(vectors, start, rows, mean, scale) * basis;
                for (var r = 0; r < rows; r++) variance[start + r] = PopulationVariance(reduced.Row(r));
            }
        }
        return new PcaResult(ratios, kept, variance);
    }

    /// <summary>
    /// Indexes of the <paramref name="keepFraction"/> of rows with the largest variance (round(fraction × n), at least 1),
    /// ties broken by row order, returned in row order.
    /// </summary>
    public static int[] Top(double[] rowVariance, double keepFraction)
    {
        ArgumentNullException.ThrowIfNull(rowVariance);
        var count = KeepCount(rowVariance.Length, keepFraction);
        return Enumerable.Range(0, rowVariance.Length)
            .OrderByDescending(i => rowVariance[i]).ThenBy(i => i)
            .Take(count).Order().ToArray();
    }

    /// <summary>Rows kept out of <paramref name="rows"/>: round(fraction × rows), at least 1 (0 for no rows).</summary>
    public static int KeepCount(int rows, double keepFraction) =>
        rows == 0 ? 0 : Math.Clamp((int)Math.Round(keepFraction * rows, MidpointRounding.AwayFromZero), 1, rows);

    private static (double[] Mean, double[] Scale) Standardisation(IReadOnlyList<float[]> vectors, int d)
    {
        var mean = new double[d];
        foreach (var v in vectors) for (var j = 0; j < d; j++) mean[j] += v[j];
        for (var j = 0; j < d; j++) mean[j] /= vectors.Count;
        var squares = new double[d];
        foreach (var v in vectors)
            for (var j = 0; j < d; j++) { var c = v[j] - mean[j]; squares[j] += c * c; }
        // A constant dimension carries no information; scaling it by 0 keeps it out instead of dividing by zero.
        var scale = squares.Select(s => vectors.Count > 1 && s > 0 ? 1 / Math.Sqrt(s / (vectors.Count - 1)) : 0).ToArray();
        return (mean, scale);
    }

    private static Matrix<double> Standardised(IReadOnlyList<float[]> vectors, int start, int rows, double[] mean, double[] scale) =>
        Matrix<double>.Build.Dense(rows, mean.Length, (r, c) => (vectors[start + r][c] - mean[c]) * scale[c]);

    /// <summary>
    /// An eigenvector's sign is arbitrary, but a row's variance across its coordinates is not sign-invariant (the mean
    /// of the coordinates changes). Each component is oriented so its largest-magnitude entry is positive (the convention
    /// of scikit-learn's svd_flip), which makes the ranking a function of the data alone.
    /// </summary>
    public static void FixSigns(Matrix<double> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        for (var c = 0; c < components.ColumnCount; c++)
        {
            var column = components.Column(c);
            if (column[column.AbsoluteMaximumIndex()] < 0) components.SetColumn(c, -column);
        }
    }

    private static double PopulationVariance(Vector<double> values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Count;
    }
}
