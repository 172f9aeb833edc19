using Nuggets.Core.Data;
using Nuggets.DuckDb;

namespace Nuggets.DuckDb.Tests;

public class ReaderTests
{
    private static readonly DuckDbDatasetReader Reader = new();

    private static List<Example> ReadAll(DatasetSource source, int chunkRows = 4096) =>
        Reader.ReadChunks(source, chunkRows).SelectMany(c => c).ToList();

    [Test]
    public void Alpaca2kReadsIdenticallyFromZstdSnappyAndJsonl()
    {
        var zstd = ReadAll(DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.parquet")));
        var snappy = ReadAll(DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.snappy.parquet")));
        var jsonl = ReadAll(DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.jsonl")));

        Assert.That(zstd, Has.Count.EqualTo(2000));
        Assert.That(zstd.Select(e => e.Row), Is.EqualTo(Enumerable.Range(0, 2000).Select(i => (long)i)));
        Assert.That(snappy, Is.EqualTo(zstd));
        Assert.That(jsonl, Is.EqualTo(zstd));
        Assert.That(snappy.Select(e => e.ContentHash), Is.EqualTo(zstd.Select(e => e.ContentHash)));
        Assert.That(jsonl.Select(e => e.ContentHash), Is.EqualTo(zstd.Select(e => e.ContentHash)));
        Assert.That(zstd.Count(e => e.Input.Length > 0), Is.EqualTo(881), "README: 881 of the 2k rows have an input");
        Assert.That(zstd[0].Instruction, Is.EqualTo("Give three tips for staying healthy."));
    }

    [Test]
    public void FullAlpacaStreamsInChunksWithRowsNumberedInOrder()
    {
        long expected = 0;
        var chunks = 0;
        var nonEmptyInput = 0;
        var emptyOutput = 0;
        foreach (var chunk in Reader.ReadChunks(DatasetSource.Single(TestPaths.Data("alpaca/alpaca_data.parquet")), 5000))
        {
            chunks++;
            Assert.That(chunk.Count, Is.LessThanOrEqualTo(5000));
            foreach (var example in chunk)
            {
                Assert.That(example.Row, Is.EqualTo(expected++));
                if (example.Input.Length > 0) nonEmptyInput++;
                if (example.Output.Length == 0) emptyOutput++;
            }
        }
        Assert.That(expected, Is.EqualTo(52_002));
        Assert.That(chunks, Is.EqualTo(11));
        Assert.That(nonEmptyInput, Is.EqualTo(20_679));
        Assert.That(emptyOutput, Is.EqualTo(28));
    }

    [Test]
    public void FirstRowsOfTheFullFileEqualThe2kSample()
    {
        var sample = ReadAll(DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.parquet")));
        var full = Reader.ReadChunks(DatasetSource.Single(TestPaths.Data("alpaca/alpaca_data.parquet")), 2000).First();
        Assert.That(full, Is.EqualTo(sample));
    }

    [Test]
    public void SeveralFilesAreOneDatasetNumberedInFileOrder()
    {
        var one = TestPaths.Data("alpaca/alpaca_2k.parquet");
        var lima = TestPaths.Data("lima/lima_train.parquet");
        var rows = ReadAll(new DatasetSource([lima, one], ColumnMapping.Alpaca));
        Assert.That(rows, Has.Count.EqualTo(1029 + 2000));
        Assert.That(rows.Select(r => r.Row), Is.EqualTo(Enumerable.Range(0, 3029).Select(i => (long)i)));
        var sample = ReadAll(DatasetSource.Single(one));
        Assert.That(rows.Skip(1029).Select(r => r.ContentHash), Is.EqualTo(sample.Select(r => r.ContentHash)));
    }

    [Test]
    public void AGlobExpandsInSortedOrder()
    {
        var glob = Path.Combine(TestPaths.Shared, "data", "alpaca", "alpaca_2k*.parquet");
        var description = Reader.Describe(new DatasetSource([glob], ColumnMapping.Alpaca));
        Assert.That(description.Files.Select(f => Path.GetFileName(f.Path)),
            Is.EqualTo(new[] { "alpaca_2k.parquet", "alpaca_2k.snappy.parquet" }));
        Assert.That(description.Rows, Is.EqualTo(4000));
        Assert.That(description.Files[0].Sha256, Is.EqualTo("3513fe73fcce138c6aa452f44b4ead3a6ee9821de7a5e9860eea96b4a82549e7"));
        Assert.That(description.Columns, Is.EqualTo(new[] { ("instruction", "VARCHAR"), ("input", "VARCHAR"), ("output", "VARCHAR") }));
    }

    [Test]
    public void LimaMessagesMapToTheSamePromptAndResponseAsTheFlatFile()
    {
        var chat = ReadAll(new DatasetSource([TestPaths.Data("chat/lima_messages.parquet")], new ColumnMapping(Messages: "messages")));
        var flat = ReadAll(DatasetSource.Single(TestPaths.Data("lima/lima_train.parquet")));
        Assert.That(chat, Has.Count.EqualTo(1029));
        for (var i = 0; i < chat.Count; i++)
        {
            var messages = chat[i].Messages!;
            Assert.That(messages[^1].Role, Is.EqualTo("assistant"));
            Assert.That(messages[^1].Content, Is.EqualTo(flat[i].Output), $"row {i}");
            Assert.That(messages[^2], Is.EqualTo(new ChatMessage("user", flat[i].Instruction)), $"row {i}");
        }
        Assert.That(chat.Count(c => c.Messages!.Count > 2), Is.EqualTo(29));
    }

    [Test]
    public void HhRlhfChosenColumnMapsAsMessages()
    {
        var chosen = ReadAll(new DatasetSource([TestPaths.Data("chat/hh_rlhf_harmless_base_test.parquet")], new ColumnMapping(Messages: "chosen")));
        Assert.That(chosen, Has.Count.EqualTo(2312));
        Assert.That(chosen.Sum(c => c.Messages!.Count), Is.EqualTo(11_520));
        Assert.That(chosen.All(c => c.Messages![0].Role == "user" && c.Messages[^1].Role == "assistant"));
    }

    [Test]
    public void DollyStyleColumnNamesAreMapped()
    {
        var dir = TestPaths.NewTempDirectory("dolly");
        var path = Path.Combine(dir, "dolly.jsonl");
        File.WriteAllText(path,
            "{\"instruction\":\"Name a colour\",\"context\":\"\",\"response\":\"Blue\",\"category\":\"open_qa\"}\n" +
            "{\"instruction\":\"Summarise\",\"context\":\"A long text\",\"response\":\"Short\",\"category\":\"summarization\"}\n");
        var rows = ReadAll(new DatasetSource([path], new ColumnMapping("instruction", "context", "response")));
        Assert.That(rows, Is.EqualTo(new[]
        {
            new Example(0, "Name a colour", "", "Blue"),
            new Example(1, "Summarise", "A long text", "Short"),
        }));
    }

    [Test]
    public void JsonArrayInAlpacaLayoutAndCsvRead()
    {
        var dir = TestPaths.NewTempDirectory("formats");
        var json = Path.Combine(dir, "alpaca_data.json");
        File.WriteAllText(json, """
            [
                {
                    "instruction": "Give three tips for staying healthy.",
                    "input": "",
                    "output": "1. Eat well."
                },
                {
                    "instruction": "Translate",
                    "input": "caf\u00e9",
                    "output": "coffee"
                }
            ]
            """);
        var csv = Path.Combine(dir, "rows.csv");
        File.WriteAllText(csv, "instruction,input,output\n\"Give three tips for staying healthy.\",,1. Eat well.\nTranslate,café,coffee\n");

        var expected = new[]
        {
            new Example(0, "Give three tips for staying healthy.", "", "1. Eat well."),
            new Example(1, "Translate", "café", "coffee"),
        };
        Assert.That(ReadAll(DatasetSource.Single(json)), Is.EqualTo(expected));
        Assert.That(ReadAll(DatasetSource.Single(csv)), Is.EqualTo(expected));
    }

    [Test]
    public void ChunkBoundariesDoNotChangeTheRows()
    {
        var source = DatasetSource.Single(TestPaths.Data("alpaca/alpaca_2k.parquet"));
        var chunks = Reader.ReadChunks(source, 333).ToList();
        Assert.That(chunks.Select(c => c.Count), Is.EqualTo(Enumerable.Repeat(333, 6).Append(2)));
        Assert.That(chunks.SelectMany(c => c), Is.EqualTo(ReadAll(source)));
    }
}

public class ExampleEqualityTests
{
    [Test]
    public void EqualityIgnoresTheCachedHashAndComparesMessagesByValue()
    {
        var a = new Example(3, "i", "", "o");
        var b = new Example(3, "i", "", "o");
        _ = a.ContentHash;
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
        var chatA = new Example(0, "", "", "", [new ChatMessage("user", "hi")]);
        var chatB = new Example(0, "", "", "", [new ChatMessage("user", "hi")]);
        Assert.That(chatA, Is.EqualTo(chatB));
        Assert.That(chatA, Is.Not.EqualTo(chatB with { Messages = [new ChatMessage("user", "ho")] }));
        Assert.That(a, Is.Not.EqualTo(b with { Row = 4 }));
    }
}
