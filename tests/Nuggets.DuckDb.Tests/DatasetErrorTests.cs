using Nuggets.Core;
using Nuggets.Core.Data;

namespace Nuggets.DuckDb.Tests;

/// <summary>Each bad dataset gives its own exit code and a message naming what to fix, and no output file appears.</summary>
public class DatasetErrorTests
{
    private static readonly DuckDbDatasetReader Reader = new();
    private static readonly DuckDbSelectionWriter Writer = new();

    private static string Temp(string name) => Path.Combine(TestPaths.NewTempDirectory("dataset-errors"), name);

    /// <summary>Fails the same way through Describe, ReadChunks and Write; the writer leaves its folder empty.</summary>
    private static NuggetsException FailsEverywhere(DatasetSource source, int exitCode)
    {
        var describe = Assert.Throws<NuggetsException>(() => Reader.Describe(source))!;
        Assert.That(describe.ExitCode, Is.EqualTo(exitCode), describe.Message);
        var read = Assert.Throws<NuggetsException>(() => Reader.ReadChunks(source).SelectMany(c => c).ToList())!;
        Assert.That(read.ExitCode, Is.EqualTo(exitCode), read.Message);

        var outputDir = TestPaths.NewTempDirectory("dataset-errors-out");
        var write = Assert.Throws<NuggetsException>(() =>
            Writer.Write(source, [new RowAnnotation(0, "h", 1, 1, 1, ScoreExact: true)], Path.Combine(outputDir, "out.parquet"), OutputFormat.Parquet, false))!;
        Assert.That(write.ExitCode, Is.EqualTo(exitCode), write.Message);
        Assert.That(Directory.GetFileSystemEntries(outputDir), Is.Empty, "nothing is written");
        return read;
    }

    [Test]
    public void TruncatedParquetNamesTheFile()
    {
        var path = Temp("truncated.parquet");
        var bytes = File.ReadAllBytes(TestPaths.Data("alpaca/alpaca_2k.parquet"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = FailsEverywhere(DatasetSource.Single(path), ExitCodes.CorruptDataset);
        Assert.That(error.Message, Does.Contain(path).And.Contain("corrupt"));
    }

    [Test]
    public void RandomBytesNameTheFile()
    {
        var path = Temp("random.parquet");
        File.WriteAllBytes(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var error = FailsEverywhere(DatasetSource.Single(path), ExitCodes.CorruptDataset);
        Assert.That(error.Message, Does.Contain(path));
    }

    [Test]
    public void DamagedPageInsideAValidFooterNamesTheFile()
    {
        // Overwrite the middle of the data pages but keep the footer: the schema check passes, the scan fails.
        var path = Temp("damaged.parquet");
        var bytes = File.ReadAllBytes(TestPaths.Data("alpaca/alpaca_2k.parquet"));
        for (var i = 1000; i < bytes.Length / 2; i++) bytes[i] = (byte)(i * 31);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<NuggetsException>(() => Reader.ReadChunks(DatasetSource.Single(path)).SelectMany(c => c).ToList())!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.CorruptDataset), error.Message);
        Assert.That(error.Message, Does.Contain(path));
    }

    [Test]
    public void MissingColumnNamesTheFileAndListsTheColumns()
    {
        var path = TestPaths.Data("alpaca/alpaca_2k.parquet");
        var error = FailsEverywhere(new DatasetSource([path], new ColumnMapping("instruction", "context", "response")), ExitCodes.MissingColumn);
        Assert.That(error.Message, Does.Contain(path).And.Contain("'context'")
            .And.Contain("instruction VARCHAR, input VARCHAR, output VARCHAR"));
    }

    [Test]
    public void WrongTypeNamesTheColumnAndType()
    {
        var path = Temp("numbers.parquet");
        Sql.Run($"COPY (SELECT 'q' AS instruction, '' AS input, 42 AS output) TO {Sql.Quote(path)} (FORMAT parquet)");
        var error = FailsEverywhere(DatasetSource.Single(path), ExitCodes.WrongColumnType);
        Assert.That(error.Message, Does.Contain("'output'").And.Contain("INTEGER"));
    }

    [Test]
    public void AMessagesColumnThatIsNotAListOfRoleContentIsAWrongType()
    {
        var error = FailsEverywhere(
            new DatasetSource([TestPaths.Data("alpaca/alpaca_2k.parquet")], new ColumnMapping(Messages: "output")), ExitCodes.WrongColumnType);
        Assert.That(error.Message, Does.Contain("'output'").And.Contain("VARCHAR"));
    }

    [Test]
    public void NullNamesTheRow()
    {
        var path = Temp("nulls.parquet");
        Sql.Run($"COPY (SELECT 'q' || i AS instruction, '' AS input, CASE WHEN i = 3 THEN NULL ELSE 'a' END AS output FROM range(5) t(i)) " +
                $"TO {Sql.Quote(path)} (FORMAT parquet)");
        var source = DatasetSource.Single(path);
        Assert.That(Reader.Describe(source).Rows, Is.EqualTo(5), "a NULL is found by reading, not by the schema check");
        var error = Assert.Throws<NuggetsException>(() => Reader.ReadChunks(source).SelectMany(c => c).ToList())!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.NullValue));
        Assert.That(error.Message, Does.Contain("Row 3").And.Contain("'output'").And.Contain(path));
    }

    [Test]
    public void NullInsideAChatMessageNamesTheRow()
    {
        var path = Temp("chat-nulls.parquet");
        Sql.Run($"COPY (SELECT [{{'role': 'user', 'content': 'hi'}}, {{'role': 'assistant', 'content': CASE WHEN i = 1 THEN NULL ELSE 'yo' END}}] AS messages " +
                $"FROM range(3) t(i)) TO {Sql.Quote(path)} (FORMAT parquet)");
        var error = Assert.Throws<NuggetsException>(() =>
            Reader.ReadChunks(new DatasetSource([path], new ColumnMapping(Messages: "messages"))).SelectMany(c => c).ToList())!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.NullValue));
        Assert.That(error.Message, Does.Contain("Row 1").And.Contain("messages[1].content"));
    }

    [Test]
    public void NonStringJsonValueNamesTheRow()
    {
        var path = Temp("mixed.jsonl");
        File.WriteAllText(path, "{\"instruction\":\"a\",\"input\":\"\",\"output\":\"x\"}\n{\"instruction\":\"b\",\"input\":\"\",\"output\":{\"n\":1}}\n");
        var error = Assert.Throws<NuggetsException>(() => Reader.ReadChunks(DatasetSource.Single(path)).SelectMany(c => c).ToList())!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.WrongColumnType), error.Message);
        Assert.That(error.Message, Does.Contain("Row 1").And.Contain("'output'"));
    }

    [Test]
    public void EmptyParquetIsAnEmptyDataset()
    {
        var path = Temp("empty.parquet");
        Sql.Run($"COPY (SELECT 'q' AS instruction, '' AS input, 'a' AS output LIMIT 0) TO {Sql.Quote(path)} (FORMAT parquet)");
        var error = FailsEverywhere(DatasetSource.Single(path), ExitCodes.EmptyDataset);
        Assert.That(error.Message, Does.Contain(path));
    }

    [Test]
    public void ZeroByteJsonlIsAnEmptyDataset()
    {
        var path = Temp("empty.jsonl");
        File.WriteAllText(path, "");
        FailsEverywhere(DatasetSource.Single(path), ExitCodes.EmptyDataset);
    }

    [Test]
    public void MissingFileAndUnmatchedGlobAreNotFound()
    {
        var dir = TestPaths.NewTempDirectory("not-found");
        var error = FailsEverywhere(DatasetSource.Single(Path.Combine(dir, "nope.parquet")), ExitCodes.DatasetNotFound);
        Assert.That(error.Message, Does.Contain("nope.parquet"));
        FailsEverywhere(DatasetSource.Single(Path.Combine(dir, "*.parquet")), ExitCodes.DatasetNotFound);
    }
}
