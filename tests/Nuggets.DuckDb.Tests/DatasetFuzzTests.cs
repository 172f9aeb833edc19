using System.Text;
using Nuggets.Core;
using Nuggets.Core.Data;

namespace Nuggets.DuckDb.Tests;

/// <summary>
/// Damaged and hostile dataset files, generated from a fixed seed so every failure reproduces. Each case must end,
/// within a time limit, either with rows or with a <see cref="NuggetsException"/> carrying a dataset exit code and
/// naming the file — never another exception (a crash without a message) and never a hang.
/// </summary>
public class DatasetFuzzTests
{
    private static readonly DuckDbDatasetReader Reader = new();
    private static readonly int[] DatasetExitCodes =
        [ExitCodes.MissingColumn, ExitCodes.WrongColumnType, ExitCodes.NullValue, ExitCodes.CorruptDataset, ExitCodes.EmptyDataset];
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static string Temp(string name) => Path.Combine(TestPaths.NewTempDirectory("dataset-fuzz"), name);

    /// <summary>What reading a file ended with: the rows read, or the error.</summary>
    private sealed record Outcome(long Rows, NuggetsException? Error);

    /// <summary>Describes and reads the whole file on a worker, failing the test if it takes longer than <see cref="Limit"/>.</summary>
    private static Outcome ReadAll(string path, ColumnMapping? columns = null)
    {
        var source = new DatasetSource([path], columns ?? ColumnMapping.Alpaca);
        var work = Task.Run(() =>
        {
            try
            {
                Reader.Describe(source);
                return new Outcome(Reader.ReadChunks(source).Sum(c => (long)c.Count), null);
            }
            catch (NuggetsException e)
            {
                return new Outcome(0, e);
            }
        });
        Assert.That(work.Wait(Limit), Is.True, $"reading {path} did not finish in {Limit.TotalSeconds} s");
        var outcome = work.Result; // any exception other than NuggetsException surfaces here and fails the test
        TestContext.Out.WriteLine(outcome.Error is { } e ? $"outcome: exit {e.ExitCode}: {e.Message}" : $"outcome: {outcome.Rows} rows");
        if (outcome.Error is { } error)
        {
            Assert.That(DatasetExitCodes, Does.Contain(error.ExitCode), error.Message);
            Assert.That(error.Message, Does.Contain(path), "the message names the file");
        }
        return outcome;
    }

    private static IEnumerable<TestCaseData> Seeds(string what) => Enumerable.Range(1, 12).Select(s => new TestCaseData(s).SetName($"{what} (seed {s})"));

    public static IEnumerable<TestCaseData> ParquetTruncations() => Seeds("Parquet truncated at a random point");
    public static IEnumerable<TestCaseData> ParquetDamage() => Seeds("Parquet with random bytes overwritten");
    public static IEnumerable<TestCaseData> JsonlTruncations() => Seeds("JSONL truncated at a random point");
    public static IEnumerable<TestCaseData> JsonlDamage() => Seeds("JSONL with random bytes overwritten");

    [TestCaseSource(nameof(ParquetTruncations))]
    public void Truncated_parquet_fails_with_a_message(int seed)
    {
        var bytes = File.ReadAllBytes(TestPaths.Data("alpaca/alpaca_2k.parquet"));
        var cut = new Random(seed).Next(1, bytes.Length - 1);
        var path = Temp($"cut-{cut}.parquet");
        File.WriteAllBytes(path, bytes[..cut]);
        var outcome = ReadAll(path);
        Assert.That(outcome.Error, Is.Not.Null, "a Parquet file without its footer cannot be read");
        Assert.That(outcome.Error!.ExitCode, Is.EqualTo(ExitCodes.CorruptDataset));
    }

    [TestCaseSource(nameof(ParquetDamage))]
    public void Parquet_with_overwritten_bytes_reads_or_fails_with_a_message(int seed)
    {
        // Parquet has no page checksums here, so damage inside string data may read as other text; that is a
        // successful read. Damage to headers, lengths or the footer must become a clear error.
        var random = new Random(seed);
        var bytes = File.ReadAllBytes(TestPaths.Data("alpaca/alpaca_2k.parquet"));
        for (var hit = 0; hit < 8; hit++)
        {
            var at = random.Next(0, bytes.Length - 64);
            random.NextBytes(bytes.AsSpan(at, random.Next(1, 64)));
        }
        var path = Temp("damaged.parquet");
        File.WriteAllBytes(path, bytes);
        var outcome = ReadAll(path);
        if (outcome.Error is null) Assert.That(outcome.Rows, Is.EqualTo(2000), "a read that succeeds returns every row");
    }

    [TestCaseSource(nameof(JsonlTruncations))]
    public void Truncated_jsonl_reads_the_whole_lines_or_fails_with_a_message(int seed)
    {
        var bytes = File.ReadAllBytes(TestPaths.Data("alpaca/alpaca_2k.jsonl"));
        var cut = new Random(seed).Next(1, bytes.Length - 1);
        var path = Temp($"cut-{cut}.jsonl");
        File.WriteAllBytes(path, bytes[..cut]);
        var outcome = ReadAll(path);
        var wholeLines = bytes[..cut].Count(b => b == '\n');
        // A cut that ends exactly at a line end leaves valid JSONL; anywhere else the last line is broken JSON.
        if (outcome.Error is null) Assert.That(outcome.Rows, Is.EqualTo(wholeLines).Or.EqualTo(wholeLines + 1));
        else Assert.That(outcome.Error.ExitCode, Is.EqualTo(ExitCodes.CorruptDataset).Or.EqualTo(ExitCodes.MissingColumn).Or.EqualTo(ExitCodes.EmptyDataset));
    }

    [TestCaseSource(nameof(JsonlDamage))]
    public void Jsonl_with_overwritten_bytes_reads_or_fails_with_a_message(int seed)
    {
        var random = new Random(seed);
        var bytes = File.ReadAllBytes(TestPaths.Data("alpaca/alpaca_2k.jsonl"));
        for (var hit = 0; hit < 4; hit++)
            random.NextBytes(bytes.AsSpan(random.Next(0, bytes.Length - 16), random.Next(1, 16)));
        var path = Temp("damaged.jsonl");
        File.WriteAllBytes(path, bytes);
        ReadAll(path);
    }

    [Test]
    public void Random_bytes_named_jsonl_fail_with_a_message()
    {
        var path = Temp("noise.jsonl");
        var bytes = new byte[1 << 16];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        Assert.That(ReadAll(path).Error, Is.Not.Null);
    }

    [Test]
    public void Invalid_utf8_in_jsonl_fails_with_a_message()
    {
        var path = Temp("latin1.jsonl");
        var line = Encoding.UTF8.GetBytes("{\"instruction\":\"caf");
        File.WriteAllBytes(path, [.. line, 0xE9, 0xFF, .. Encoding.UTF8.GetBytes("\",\"input\":\"\",\"output\":\"x\"}\n")]);
        var outcome = ReadAll(path);
        Assert.That(outcome.Error, Is.Not.Null, "invalid UTF-8 is refused, not passed on as replacement characters");
    }

    [Test]
    public void Invalid_utf8_in_parquet_fails_with_a_message()
    {
        // DuckDB writes BLOBs as Parquet BYTE_ARRAY without the UTF8 annotation; a column read as text must be valid UTF-8.
        var path = Temp("latin1.parquet");
        Sql.Run($"COPY (SELECT 'q' AS instruction, '' AS input, '\\xE9\\xFF'::BLOB AS output) TO {Sql.Quote(path)} (FORMAT parquet)");
        var outcome = ReadAll(path);
        Assert.That(outcome.Error, Is.Not.Null);
        Assert.That(outcome.Error!.ExitCode, Is.EqualTo(ExitCodes.WrongColumnType), outcome.Error.Message);
    }

    [Test]
    public void Embedded_nul_characters_are_kept_as_text()
    {
        var path = Temp("nul.jsonl");
        File.WriteAllText(path, "{\"instruction\":\"a\\u0000b\",\"input\":\"\",\"output\":\"c\\u0000\"}\n");
        var rows = Reader.ReadChunks(DatasetSource.Single(path)).SelectMany(c => c).ToList();
        Assert.That(rows.Single().Instruction, Is.EqualTo("a\0b"));
        Assert.That(rows.Single().Output, Is.EqualTo("c\0"));
    }

    // Without the nesting guard DuckDB 1.5.6 runs for minutes at 100,000 levels and overflows its stack at 1,000,000.
    [TestCase(100_000)]
    [TestCase(1_000_000)]
    public void A_value_nested_absurdly_deep_is_refused_before_parsing(int depth)
    {
        var path = Temp("deep.jsonl");
        var nested = new string('[', depth) + new string(']', depth);
        File.WriteAllText(path, $"{{\"instruction\":\"ok\",\"input\":\"\",\"output\":\"x\"}}\n{{\"instruction\":{nested},\"input\":\"\",\"output\":\"x\"}}\n");
        var outcome = ReadAll(path);
        Assert.That(outcome.Error?.ExitCode, Is.EqualTo(ExitCodes.CorruptDataset));
        Assert.That(outcome.Error!.Message, Does.Contain("line 2").And.Contain("deeper than"));
    }

    [Test]
    public void A_nested_value_in_a_text_column_is_a_wrong_type_with_a_short_message()
    {
        var path = Temp("nested.jsonl");
        var nested = new string('[', 300) + new string(']', 300);
        File.WriteAllText(path, $"{{\"instruction\":{nested},\"input\":\"\",\"output\":\"x\"}}\n");
        var outcome = ReadAll(path);
        Assert.That(outcome.Error?.ExitCode, Is.EqualTo(ExitCodes.WrongColumnType));
        Assert.That(outcome.Error!.Message, Has.Length.LessThan(400));
    }

    [Test]
    public void A_deeply_nested_extra_column_does_not_stop_the_read()
    {
        var path = Temp("deep-extra.jsonl");
        const int depth = 500;
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        File.WriteAllText(path, $"{{\"instruction\":\"i\",\"input\":\"\",\"output\":\"x\",\"meta\":{nested}}}\n");
        Assert.That(ReadAll(path).Rows, Is.EqualTo(1));
    }

    [Test]
    public void A_10_MB_string_is_read_whole()
    {
        var path = Temp("huge.jsonl");
        var huge = new string('x', 10 << 20);
        File.WriteAllText(path, $"{{\"instruction\":\"{huge}\",\"input\":\"\",\"output\":\"y\"}}\n{{\"instruction\":\"small\",\"input\":\"\",\"output\":\"z\"}}\n");
        var rows = Reader.ReadChunks(DatasetSource.Single(path)).SelectMany(c => c).ToList();
        Assert.That(rows.Select(r => r.Instruction.Length), Is.EqualTo(new[] { 10 << 20, 5 }));
    }

    [Test]
    public void A_million_empty_rows_stream_in_bounded_memory()
    {
        var path = Temp("empty-rows.parquet");
        Sql.Run($"COPY (SELECT '' AS instruction, '' AS input, '' AS output FROM range(1000000)) TO {Sql.Quote(path)} (FORMAT parquet)");
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long rows = 0, peak = 0;
        foreach (var chunk in Reader.ReadChunks(DatasetSource.Single(path)))
        {
            rows += chunk.Count;
            if (rows % (256 * 1024) < chunk.Count) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
        }
        Assert.That(rows, Is.EqualTo(1_000_000));
        Assert.That(peak, Is.LessThan(64L << 20), "managed memory must not grow with the row count");
    }
}
