using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.DuckDb.Reports;

namespace Nuggets.DuckDb.Tests;

/// <summary>The score table's optional columns (wilson_low, wilson_high, outcomes): read back as written, and absent in older tables.</summary>
public class ScoreTableReaderTests
{
    [Test]
    public void OutcomesAndIntervalsReadBackAsWritten()
    {
        var source = DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.parquet"));
        var rows = Enumerable.Range(0, 12).Select(i =>
        {
            var scored = i % 4 == 0 ? 3 : 5;
            var wins = i % (scored + 1);
            var outcomes = new string('0', scored - wins) + new string('1', wins) + new string('-', 5 - scored);
            return new RowAnnotation(11 - i, $"h{i}", wins / 5.0, wins, scored, scored == 5) { Outcomes = outcomes };
        }).ToList();
        var path = Path.Combine(TestPaths.NewTempDirectory("reader-outcomes"), "scores.parquet");
        new DuckDbSelectionWriter().Write(source, rows, path, OutputFormat.Parquet, includeWinCounts: true);

        using var reader = ScoreTableReader.Open(path);
        Assert.That((reader.HasWilson, reader.HasOutcomes), Is.EqualTo((true, true)));
        Assert.That(reader.Outcomes(), Is.EqualTo(rows.OrderBy(r => r.Row).Select(r => new ScoreTableOutcomes(r.Row, r.Wins, r.AnchorsScored, r.Outcomes))));
        var top = reader.Top(3);
        Assert.That(top.Select(r => (r.WilsonLow, r.WilsonHigh)),
            Is.EqualTo(top.Select(t => rows.Single(r => r.Row == t.Row)).Select(r => ((double?)r.WilsonLow, (double?)r.WilsonHigh))));
    }

    [Test]
    public void AScoreTableOfAnEarlierVersionIsReadWithoutThem()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("reader-old"), "scores.parquet");
        Sql.Run($"COPY (SELECT 'do ' || i AS instruction, '' AS input, 'x' AS output, i / 4.0 AS golden_score, CAST(i AS BIGINT) AS row, 'h' || i AS content_hash, " +
                $"CAST(i AS INTEGER) AS wins, 4 AS anchors_scored, true AS score_exact FROM range(5) t(i)) TO {Sql.Quote(path)} (FORMAT parquet)");
        using var reader = ScoreTableReader.Open(path);
        Assert.That((reader.HasWinCounts, reader.HasWilson, reader.HasOutcomes), Is.EqualTo((true, false, false)));
        Assert.That(reader.Top(5).Select(r => (r.Row, r.WilsonLow, r.WilsonHigh)), Is.EqualTo(new (long, double?, double?)[] { (4, null, null), (3, null, null), (2, null, null), (1, null, null), (0, null, null) }));
        var error = Assert.Throws<NuggetsException>(() => reader.Outcomes());
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.MissingColumn));
        Assert.That(error.Message, Does.Contain(path).And.Contain("outcomes"));
    }
}
