using Nuggets.Core.Data;

namespace Nuggets.DuckDb.Tests;

/// <summary>Every Parquet codec and page encoding DuckDB writes reads back to the same rows and hashes.</summary>
public class CodecTests
{
    private static List<Example>? reference;

    private static List<Example> Read(string path) =>
        new DuckDbDatasetReader().ReadChunks(DatasetSource.Single(path)).SelectMany(c => c).ToList();

    [OneTimeSetUp]
    public void ReadReference() => reference = Read(TestPaths.Data("alpaca/alpaca_2k.parquet"));

    [TestCase("gzip", "V1")]
    [TestCase("brotli", "V1")]
    [TestCase("lz4_raw", "V1")]
    [TestCase("uncompressed", "V1")]
    [TestCase("snappy", "V2")] // format v2 pages: DELTA_LENGTH_BYTE_ARRAY / DELTA_BYTE_ARRAY string encodings
    [TestCase("zstd", "V2")]
    public void CodecAndEncodingDoNotChangeTheRows(string codec, string parquetVersion)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("codec"), $"alpaca_2k.{codec}.{parquetVersion}.parquet");
        Sql.Run($"COPY (SELECT * FROM read_parquet({Sql.Quote(TestPaths.Data("alpaca/alpaca_2k.parquet"))})) TO {Sql.Quote(path)} " +
                $"(FORMAT parquet, COMPRESSION {codec}, PARQUET_VERSION {parquetVersion}, ROW_GROUP_SIZE 700)");
        Assert.That(Sql.Column($"SELECT DISTINCT compression FROM parquet_metadata({Sql.Quote(path)})"),
            Is.EqualTo(new[] { codec.ToUpperInvariant() }));
        var rows = Read(path);
        Assert.That(rows, Is.EqualTo(reference));
        Assert.That(rows.Select(r => r.ContentHash), Is.EqualTo(reference!.Select(r => r.ContentHash)));
    }
}
