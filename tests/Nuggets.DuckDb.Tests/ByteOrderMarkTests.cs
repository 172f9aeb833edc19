using System.Text;
using Nuggets.Core;
using Nuggets.Core.Data;

namespace Nuggets.DuckDb.Tests;

/// <summary>
/// A UTF-8 byte order mark at the start of a JSON Lines, JSON or CSV file (what Windows editors and Excel's
/// "CSV UTF-8" write) is read as the same rows as the file without it: through the reader and the writer the tool
/// uses, with the hash of the file as it is on disk, BOM included.
/// </summary>
public class ByteOrderMarkTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private static readonly Example[] Expected =
    [
        new(0, "Give three tips for staying healthy.", "", "1. Eat well."),
        new(1, "Translate", "café", "coffee"),
    ];

    /// <summary>Writes <paramref name="text"/> twice, with and without a BOM, and returns both paths.</summary>
    private static (string WithBom, string Without) WriteBoth(string name, string text)
    {
        var dir = TestPaths.NewTempDirectory("bom");
        var without = Path.Combine(dir, "plain-" + name);
        var withBom = Path.Combine(dir, "bom-" + name);
        var bytes = Encoding.UTF8.GetBytes(text); // GetBytes never adds a BOM
        File.WriteAllBytes(without, bytes);
        File.WriteAllBytes(withBom, [.. Bom, .. bytes]);
        return (withBom, without);
    }

    /// <summary>
    /// Reads both files as the tool does (one <see cref="DuckDbDatasets"/> per run: describe, scan, then write the
    /// selection from the same read), and checks the BOM changes nothing but the file's hash.
    /// </summary>
    private static void ReadsLikeTheFileWithoutIt(string withBom, string without)
    {
        var output = TestPaths.NewTempDirectory("bom-out");
        var written = new List<byte[]>();
        foreach (var path in new[] { withBom, without })
        {
            using var datasets = new DuckDbDatasets();
            var source = DatasetSource.Single(path);
            var reader = new DuckDbDatasetReader(datasets);
            var description = reader.Describe(source);
            Assert.That(description.Rows, Is.EqualTo(Expected.Length), path);
            Assert.That(description.Columns.Select(c => c.Name), Is.EqualTo(new[] { "instruction", "input", "output" }), path);
            Assert.That(description.Files[0].Sha256, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))),
                "the manifest's hash is of the file as it is, BOM included");

            var rows = reader.ReadChunks(source).SelectMany(c => c).ToList();
            Assert.That(rows, Is.EqualTo(Expected), path);
            Assert.That(rows[0].Instruction[0], Is.Not.EqualTo('\uFEFF'), "no BOM character leaks into the first value");

            var selected = Path.Combine(output, Path.GetFileName(path) + ".jsonl");
            new DuckDbSelectionWriter(datasets).Write(source, rows.Select(e => new RowAnnotation(e.Row, e.ContentHash, 1, 1, 1, ScoreExact: true)).ToList(),
                selected, OutputFormat.JsonLines, includeWinCounts: false);
            written.Add(File.ReadAllBytes(selected));
        }
        Assert.That(written[0], Is.EqualTo(written[1]), "the selection written from the file with a BOM equals the one without");
    }

    [Test]
    public void JsonLinesWithAByteOrderMarkIsRead()
    {
        var (withBom, without) = WriteBoth("rows.jsonl",
            "{\"instruction\":\"Give three tips for staying healthy.\",\"input\":\"\",\"output\":\"1. Eat well.\"}\n" +
            "{\"instruction\":\"Translate\",\"input\":\"café\",\"output\":\"coffee\"}\n");
        ReadsLikeTheFileWithoutIt(withBom, without);
    }

    [Test]
    public void JsonArrayWithAByteOrderMarkIsRead()
    {
        var (withBom, without) = WriteBoth("rows.json", """
            [
                {"instruction": "Give three tips for staying healthy.", "input": "", "output": "1. Eat well."},
                {"instruction": "Translate", "input": "café", "output": "coffee"}
            ]
            """);
        ReadsLikeTheFileWithoutIt(withBom, without);
    }

    [Test]
    public void CsvWithAByteOrderMarkIsRead()
    {
        // The one quoted cell is the first, right after the mark: DuckDB's sniffer then saw no quoting at all and
        // named the first column "instruction" with its quotes (a missing column, exit 11) before the fix.
        var (withBom, without) = WriteBoth("rows.csv",
            "\"instruction\",input,output\nGive three tips for staying healthy.,,1. Eat well.\nTranslate,café,coffee\n");
        ReadsLikeTheFileWithoutIt(withBom, without);

        // Every cell quoted, only data quoted, nothing quoted, and Windows line ends: read before the fix too, and still.
        foreach (var (name, text) in new[]
        {
            ("all-quoted.csv", "\"instruction\",\"input\",\"output\"\n\"Give three tips for staying healthy.\",\"\",\"1. Eat well.\"\n\"Translate\",\"café\",\"coffee\"\n"),
            ("data-quoted.csv", "instruction,input,output\n\"Give three tips for staying healthy.\",,1. Eat well.\nTranslate,café,coffee\n"),
            ("unquoted.csv", "instruction,input,output\nGive three tips for staying healthy.,,1. Eat well.\nTranslate,café,coffee\n"),
            ("crlf.csv", "\"instruction\",input,output\r\nGive three tips for staying healthy.,,1. Eat well.\r\nTranslate,café,coffee\r\n"),
        })
        {
            var (variant, variantWithout) = WriteBoth(name, text);
            ReadsLikeTheFileWithoutIt(variant, variantWithout);
        }
    }

    [TestCase("rows.jsonl")]
    [TestCase("rows.json")]
    [TestCase("rows.csv")]
    public void AFileThatIsOnlyAByteOrderMarkIsAnEmptyDatasetLikeAZeroByteFile(string name)
    {
        var (withBom, without) = WriteBoth(name, "");
        foreach (var path in new[] { withBom, without })
        {
            var error = Assert.Throws<NuggetsException>(() => new DuckDbDatasetReader().Describe(DatasetSource.Single(path)))!;
            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.EmptyDataset), error.Message);
        }
    }
}
