using Nuggets.Core;
using Nuggets.Core.Data;

namespace Nuggets.DuckDb.Tests;

/// <summary>One read per run (<see cref="DuckDbDatasets"/>): reused across steps, and a file changed under the run is an error.</summary>
public class SharedDatasetTests
{
    private static (string Path, DatasetSource Source) CopyOfAlpaca(string name)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(name), "data.jsonl");
        File.WriteAllLines(path, File.ReadLines(TestPaths.Data("alpaca/alpaca_2k.jsonl")).Take(50));
        return (path, DatasetSource.Single(path));
    }

    [Test]
    public void SharedAndPerCallReadsWriteIdenticalBytes()
    {
        var (path, source) = CopyOfAlpaca("shared-identical");
        var rows = new DuckDbDatasetReader().ReadChunks(source).SelectMany(c => c).Where(e => e.Row % 4 == 1)
            .Select(e => new RowAnnotation(e.Row, e.ContentHash, 0.5, 3, 6, ScoreExact: true)).Reverse().ToList();
        var perCall = Path.Combine(Path.GetDirectoryName(path)!, "per-call.parquet");
        new DuckDbSelectionWriter().Write(source, rows, perCall, OutputFormat.Parquet, includeWinCounts: true);

        using var datasets = new DuckDbDatasets();
        var reader = new DuckDbDatasetReader(datasets);
        Assert.That(reader.Describe(source).Rows, Is.EqualTo(50));
        Assert.That(reader.ReadChunks(source, 7).SelectMany(c => c).Select(e => e.Row), Is.EqualTo(Enumerable.Range(0, 50).Select(i => (long)i)));
        var shared = Path.Combine(Path.GetDirectoryName(path)!, "shared.parquet");
        new DuckDbSelectionWriter(datasets).Write(source, rows, shared, OutputFormat.Parquet, includeWinCounts: true);
        Assert.That(File.ReadAllBytes(shared), Is.EqualTo(File.ReadAllBytes(perCall)));
    }

    [Test]
    public void AFileChangedAfterItWasReadFailsTheWriteAndWritesNothing()
    {
        var (path, source) = CopyOfAlpaca("shared-changed");
        using var datasets = new DuckDbDatasets();
        var rows = new DuckDbDatasetReader(datasets).ReadChunks(source).SelectMany(c => c).Take(3)
            .Select(e => new RowAnnotation(e.Row, e.ContentHash, 1, 1, 1, ScoreExact: true)).ToList();
        // Another process rewrites the dataset between the scan and the output write.
        File.AppendAllText(path, File.ReadLines(path).First() + "\n");

        var output = Path.Combine(Path.GetDirectoryName(path)!, "out", "selected.parquet");
        var error = Assert.Throws<NuggetsException>(() =>
            new DuckDbSelectionWriter(datasets).Write(source, rows, output, OutputFormat.Parquet, includeWinCounts: false));
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.CorruptDataset));
        Assert.That(error.Message, Does.Contain(path).And.Contain("changed"));
        Assert.That(Directory.Exists(Path.GetDirectoryName(output)) ? Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!) : [], Is.Empty);
    }

    [Test]
    public void ANewRunReadsTheChangedFileAfresh()
    {
        var (path, source) = CopyOfAlpaca("shared-rerun");
        using (var first = new DuckDbDatasets()) Assert.That(new DuckDbDatasetReader(first).Describe(source).Rows, Is.EqualTo(50));
        File.AppendAllText(path, File.ReadLines(path).First() + "\n");
        using var second = new DuckDbDatasets();
        Assert.That(new DuckDbDatasetReader(second).Describe(source).Rows, Is.EqualTo(51));
    }
}
