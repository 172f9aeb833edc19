using System.Security.Cryptography;
using Nuggets.Core;
using Nuggets.Core.Data;

namespace Nuggets.DuckDb.Tests;

public class WriterTests
{
    private static readonly DuckDbDatasetReader Reader = new();
    private static readonly DuckDbSelectionWriter Writer = new();

    private static List<RowAnnotation> Select(DatasetSource source, Func<Example, bool> keep)
    {
        var picked = Reader.ReadChunks(source).SelectMany(c => c).Where(keep)
            .Select(e => Annotation(e.Row, e.ContentHash)).ToList();
        // An order other than row order, so ORDER BY is observable.
        return picked.OrderByDescending(r => r.GoldenScore).ThenBy(r => r.Row).ToList();
    }

    /// <summary>
    /// A row of 7 anchors with made-up wins; every third row pruned after 5 (its last two outcomes <c>-</c>); odd rows
    /// without outcomes (as a writer without them passes).
    /// </summary>
    private static RowAnnotation Annotation(long row, string hash)
    {
        var scored = row % 3 == 0 ? 5 : 7;
        var wins = (int)Math.Min(row % 7, scored);
        var outcomes = new string('1', wins) + new string('0', scored - wins) + new string('-', 7 - scored);
        return new RowAnnotation(row, hash, (row % 7) / 7.0, wins, scored, ScoreExact: scored == 7) { Outcomes = row % 2 == 0 ? outcomes : null };
    }

    [Test]
    public void WritingTheSameSelectionTwiceGivesIdenticalBytes()
    {
        var source = DatasetSource.Single(TestPaths.Data("alpaca/alpaca_data.parquet"));
        var rows = Select(source, e => e.Row % 3 == 0);
        var dir = TestPaths.NewTempDirectory("writer-determinism");
        var first = Path.Combine(dir, "a.parquet");
        var second = Path.Combine(dir, "b.parquet");
        Writer.Write(source, rows, first, OutputFormat.Parquet, includeWinCounts: false);
        Writer.Write(source, rows, second, OutputFormat.Parquet, includeWinCounts: false);
        Assert.That(SHA256.HashData(File.ReadAllBytes(second)), Is.EqualTo(SHA256.HashData(File.ReadAllBytes(first))));
        Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "a.parquet", "b.parquet" }), "no temporary file left");
    }

    [Test]
    public void OutputReadsBackWithInputColumnsThenAnnotationsInTheGivenOrder()
    {
        var source = DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.parquet"));
        var rows = Select(source, e => e.Input.Length > 0);
        var output = Path.Combine(TestPaths.NewTempDirectory("writer-schema"), "selection.parquet");
        Writer.Write(source, rows, output, OutputFormat.Parquet, includeWinCounts: false);

        var file = Sql.Quote(output);
        Assert.That(Sql.Column($"SELECT column_name || ' ' || column_type FROM (DESCRIBE SELECT * FROM read_parquet({file}))"),
            Is.EqualTo(new[] { "instruction VARCHAR", "input VARCHAR", "output VARCHAR", "golden_score DOUBLE", "row BIGINT", "content_hash VARCHAR" }));
        Assert.That(Sql.Column($"SELECT DISTINCT compression FROM parquet_metadata({file})"), Is.EqualTo(new[] { "ZSTD" }));
        Assert.That(Sql.Column($"SELECT row FROM read_parquet({file})"), Is.EqualTo(rows.Select(r => r.Row.ToString())));

        // Read the output back as a dataset: every row's recomputed hash equals the annotation it was written with.
        var back = Reader.ReadChunks(DatasetSource.Single(output)).SelectMany(c => c).ToList();
        Assert.That(back.Select(e => e.ContentHash), Is.EqualTo(rows.Select(r => r.ContentHash)));
    }

    [Test]
    public void JsonlSourceAndJsonlOutputKeepRowsAligned()
    {
        var source = DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.jsonl"));
        var rows = Select(source, e => e.Row % 5 == 1);
        var output = Path.Combine(TestPaths.NewTempDirectory("writer-jsonl"), "selection.jsonl");
        Writer.Write(source, rows, output, OutputFormat.JsonLines, includeWinCounts: true);

        var back = Reader.ReadChunks(DatasetSource.Single(output)).SelectMany(c => c).ToList();
        Assert.That(back.Select(e => e.ContentHash), Is.EqualTo(rows.Select(r => r.ContentHash)));
        Assert.That(Sql.Column($"SELECT wins FROM read_json({Sql.Quote(output)})"), Is.EqualTo(rows.Select(r => r.Wins.ToString())));
        Assert.That(Sql.Column($"SELECT score_exact FROM read_json({Sql.Quote(output)})"), Is.EqualTo(rows.Select(r => r.ScoreExact ? "true" : "false")));
    }

    [Test]
    public void ScoreTablesSayWhichScoresAreExact()
    {
        var source = DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.parquet"));
        var rows = Select(source, e => e.Row < 30);
        var output = Path.Combine(TestPaths.NewTempDirectory("writer-exact"), "scores.parquet");
        Writer.Write(source, rows, output, OutputFormat.Parquet, includeWinCounts: true);

        var file = Sql.Quote(output);
        Assert.That(Sql.Column($"SELECT column_name || ' ' || column_type FROM (DESCRIBE SELECT * FROM read_parquet({file}))").TakeLast(9),
            Is.EqualTo(new[] { "golden_score DOUBLE", "row BIGINT", "content_hash VARCHAR", "wins INTEGER", "anchors_scored INTEGER", "score_exact BOOLEAN",
                "wilson_low DOUBLE", "wilson_high DOUBLE", "outcomes VARCHAR" }));
        Assert.That(Sql.Column($"SELECT concat_ws(' ', row, anchors_scored, score_exact) FROM read_parquet({file})"),
            Is.EqualTo(rows.Select(r => $"{r.Row} {r.AnchorsScored} {(r.ScoreExact ? "true" : "false")}")));
    }

    [TestCase(OutputFormat.Parquet)]
    [TestCase(OutputFormat.JsonLines)]
    public void ScoreTablesCarryTheWilsonIntervalAndTheOutcomes(OutputFormat format)
    {
        var source = DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.parquet"));
        var rows = Select(source, e => e.Row < 40);
        var dir = TestPaths.NewTempDirectory("writer-wilson");
        var output = Path.Combine(dir, format == OutputFormat.Parquet ? "scores.parquet" : "scores.jsonl");
        Writer.Write(source, rows, output, format, includeWinCounts: true);

        var scan = format == OutputFormat.Parquet ? $"read_parquet({Sql.Quote(output)})" : $"read_json({Sql.Quote(output)})";
        // DuckDB prints a DOUBLE as its shortest round-trip text: parsed back, equal bits.
        double Parse(string? text) => double.Parse(text!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(Sql.Column($"SELECT wilson_low FROM {scan}").Select(Parse), Is.EqualTo(rows.Select(r => r.WilsonLow)));
        Assert.That(Sql.Column($"SELECT wilson_high FROM {scan}").Select(Parse), Is.EqualTo(rows.Select(r => r.WilsonHigh)));
        Assert.That(Sql.Column($"SELECT outcomes FROM {scan}"), Is.EqualTo(rows.Select(r => r.Outcomes)), "NULL where there were none");
        Assert.That(rows.Select(r => (r.WilsonLow, r.WilsonHigh)), Is.EqualTo(rows.Select(r => Nuggets.Core.Stability.WilsonInterval.Of(r.Wins, r.AnchorsScored))));
        Assert.That(rows.Where(r => !r.ScoreExact).Select(r => r.Outcomes), Has.Some.Contains("-"), "pruned rows among them");

        if (format != OutputFormat.Parquet) return;
        var again = Path.Combine(dir, "again.parquet");
        Writer.Write(source, rows, again, format, includeWinCounts: true);
        Assert.That(SHA256.HashData(File.ReadAllBytes(again)), Is.EqualTo(SHA256.HashData(File.ReadAllBytes(output))), "deterministic bytes");
    }

    [Test]
    public void ASelectionHasNoneOfTheScoreTableColumns()
    {
        var source = DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.parquet"));
        var rows = Select(source, e => e.Row < 10);
        var output = Path.Combine(TestPaths.NewTempDirectory("writer-selection-columns"), "selected.parquet");
        Writer.Write(source, rows, output, OutputFormat.Parquet, includeWinCounts: false);
        Assert.That(Sql.Column($"SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet({Sql.Quote(output)}))").TakeLast(4),
            Is.EqualTo(new[] { "output", "golden_score", "row", "content_hash" }));
    }

    [Test]
    public void AnInputColumnNamedLikeANewScoreColumnStaysInTheSelectionAndIsReplacedInTheScoreTable()
    {
        var dir = TestPaths.NewTempDirectory("writer-outcomes-input");
        var input = Path.Combine(dir, "data.jsonl");
        File.WriteAllLines(input, Enumerable.Range(0, 6).Select(i => $$"""{"instruction":"do {{i}}","input":"","output":"done","outcomes":"theirs {{i}}"}"""));
        var source = DatasetSource.Single(input);
        var rows = Select(source, _ => true);
        var selected = Path.Combine(dir, "selected.parquet");
        var scores = Path.Combine(dir, "scores.parquet");
        Writer.Write(source, rows, selected, OutputFormat.Parquet, includeWinCounts: false);
        Writer.Write(source, rows, scores, OutputFormat.Parquet, includeWinCounts: true);
        Assert.That(Sql.Column($"SELECT outcomes FROM read_parquet({Sql.Quote(selected)})"), Is.EqualTo(rows.Select(r => $"theirs {r.Row}")));
        Assert.That(Sql.Column($"SELECT outcomes FROM read_parquet({Sql.Quote(scores)})"), Is.EqualTo(rows.Select(r => r.Outcomes)));
        Assert.That(Sql.Column($"SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet({Sql.Quote(scores)})) WHERE column_name = 'outcomes'"), Is.EqualTo(new[] { "1" }));
    }

    [Test]
    public void ChatColumnsAndExtraColumnsAreCopiedAsTheyAre()
    {
        var source = new DatasetSource([TestPaths.Data("chat/hh_rlhf_harmless_base_test.parquet")], new ColumnMapping(Messages: "chosen"));
        var rows = Select(source, e => e.Row < 50);
        var output = Path.Combine(TestPaths.NewTempDirectory("writer-chat"), "selection.parquet");
        Writer.Write(source, rows, output, OutputFormat.Parquet, includeWinCounts: false);
        var file = Sql.Quote(output);
        Assert.That(Sql.Column($"SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet({file}))"),
            Is.EqualTo(new[] { "chosen", "rejected", "golden_score", "row", "content_hash" }));
        var back = Reader.ReadChunks(new DatasetSource([output], new ColumnMapping(Messages: "chosen"))).SelectMany(c => c);
        Assert.That(back.Select(e => e.ContentHash), Is.EqualTo(rows.Select(r => r.ContentHash)));
    }

    [Test]
    public void RowsOfALaterFileAreFoundByDatasetPosition()
    {
        var source = new DatasetSource([TestPaths.Data("lima/lima_train.parquet"), TestPaths.Data("alpaca/alpaca_2k.jsonl")], ColumnMapping.Alpaca);
        var rows = Select(source, e => e.Row is 0 or 1028 or 1029 or 3028);
        var output = Path.Combine(TestPaths.NewTempDirectory("writer-multi"), "selection.parquet");
        Writer.Write(source, rows, output, OutputFormat.Parquet, includeWinCounts: false);
        var back = Reader.ReadChunks(DatasetSource.Single(output)).SelectMany(c => c).ToList();
        Assert.That(back.Select(e => e.ContentHash), Is.EqualTo(rows.Select(r => r.ContentHash)));
        // lima's history column is kept; alpaca rows have none (NULL).
        Assert.That(Sql.Column($"SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet({Sql.Quote(output)}))")[3], Is.EqualTo("history"));
    }

    [Test]
    public void AnUnwritableOutputIsAnOutputError()
    {
        var source = DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.parquet"));
        var blocker = Path.Combine(TestPaths.NewTempDirectory("writer-unwritable"), "file");
        File.WriteAllText(blocker, "");
        var error = Assert.Throws<NuggetsException>(() =>
            Writer.Write(source, [new RowAnnotation(0, "h", 1, 1, 1, ScoreExact: true)], Path.Combine(blocker, "out.parquet"), OutputFormat.Parquet, false));
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.OutputError));
    }
}
