using MathNet.Numerics.LinearAlgebra;
using Nuggets.Core.Stages;

namespace Nuggets.Core.Tests.Stages;

public sealed class PcaSelectionTests
{
    /// <summary>A small matrix with correlated columns, a constant column, and more rows than one block would need.</summary>
    private static float[][] Vectors(int rows, int dims, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            var v = new float[dims];
            var a = random.NextDouble();
            for (var j = 0; j < dims - 1; j++) v[j] = (float)(a * (j + 1) + random.NextDouble() * (j % 3 + 0.5));
            v[dims - 1] = 3; // constant: carries no information
            return v;
        }).ToArray();
    }

    /// <summary>The direct computation: standardise (sample std), SVD of the whole matrix, ratios = s² / Σ s².</summary>
    private static (double[] Ratios, Matrix<double> Z, Matrix<double> V) Direct(float[][] vectors)
    {
        var x = Matrix<double>.Build.Dense(vectors.Length, vectors[0].Length, (r, c) => vectors[r][c]);
        var z = x.Clone();
        for (var c = 0; c < x.ColumnCount; c++)
        {
            var column = x.Column(c);
            var mean = column.Average();
            var std = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / (column.Count - 1));
            z.SetColumn(c, std > 0 ? (column - mean) / std : Vector<double>.Build.Dense(column.Count));
        }
        var svd = z.Svd(computeVectors: true);
        var squares = svd.S.Select(s => s * s).ToArray();
        return (squares.Select(s => s / squares.Sum()).ToArray(), z, svd.VT.Transpose());
    }

    [Test]
    public void Explained_variance_ratios_match_an_svd_of_the_standardised_matrix()
    {
        var vectors = Vectors(40, 7, 1);
        var pca = PcaSelection.Compute(vectors, 0.95);
        var (ratios, _, _) = Direct(vectors);

        Assert.That(pca.ExplainedVarianceRatios, Has.Length.EqualTo(7));
        for (var i = 0; i < ratios.Length; i++)
            Assert.That(pca.ExplainedVarianceRatios[i], Is.EqualTo(ratios[i]).Within(1e-6), $"component {i}");
        var needed = 1 + Enumerable.Range(0, ratios.Length).First(k => ratios.Take(k + 1).Sum() >= 0.95 - 1e-12);
        Assert.That(pca.Components, Is.EqualTo(needed));
    }

    [Test]
    public void Row_variance_is_the_variance_of_the_reduced_vector()
    {
        var vectors = Vectors(30, 5, 2);
        var pca = PcaSelection.Compute(vectors, 0.999);
        var (_, z, v) = Direct(vectors);
        var basis = v.SubMatrix(0, v.RowCount, 0, pca.Components);
        PcaSelection.FixSigns(basis);
        var reduced = z * basis;
        for (var r = 0; r < vectors.Length; r++)
        {
            var row = reduced.Row(r);
            var mean = row.Average();
            Assert.That(pca.RowVariance[r], Is.EqualTo(row.Sum(x => (x - mean) * (x - mean)) / row.Count).Within(1e-6), $"row {r}");
        }
    }

    [TestCase(50, 0.2, 10)]
    [TestCase(7, 0.2, 1)]
    [TestCase(10, 0.25, 3)]
    [TestCase(10, 1.0, 10)]
    [TestCase(3, 0.01, 1)]
    public void Top_keeps_exactly_the_configured_fraction_in_row_order(int rows, double fraction, int expected)
    {
        var variance = Enumerable.Range(0, rows).Select(i => (double)(i * 7 % rows)).ToArray();
        var kept = PcaSelection.Top(variance, fraction);

        Assert.That(kept, Has.Length.EqualTo(expected));
        Assert.That(kept, Is.Ordered);
        var threshold = kept.Min(i => variance[i]);
        Assert.That(Enumerable.Range(0, rows).Except(kept).All(i => variance[i] <= threshold), Is.True, "every dropped row varies less");
    }

    [Test]
    public void Ties_are_broken_by_row_order()
    {
        Assert.That(PcaSelection.Top([1, 2, 2, 2, 0], 0.4), Is.EqualTo(new[] { 1, 2 }));
    }
}
