using System.Diagnostics;
using System.Globalization;
using Nuggets.Core.Data;
using Nuggets.DuckDb;
using Nuggets.DuckDb.Sql;

// generate <path> <rows>          writes an Alpaca-shaped zstd Parquet file of unique rows
// read <path> [--hash] [chunk]    streams it through DuckDbDatasetReader; prints rows/s and peak RSS
// Each mode runs in its own process so the peak RSS of a read is the reader's alone.
var invariant = CultureInfo.InvariantCulture;
switch (args)
{
    case ["generate", var path, var rowsText]:
    {
        var rows = long.Parse(rowsText, invariant);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var session = DuckDbSession.Open(null);
        // md5 text keeps rows unique and poorly compressible, like real prose; lengths vary like Alpaca's
        // (instruction ~40–110 bytes, a third without input, output ~130–430 bytes).
        session.Execute(
            "COPY (SELECT 'Instruction ' || i || ': ' || repeat(md5(i::VARCHAR), 1 + i % 3) AS instruction, " +
            "CASE WHEN i % 3 = 0 THEN '' ELSE 'Input ' || md5((i * 7)::VARCHAR) END AS input, " +
            "repeat(md5((i * 13)::VARCHAR) || ' ', 4 + i % 9) AS output " +
            $"FROM range({rows}) t(i)) TO {SqlText.Literal(path)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)");
        Console.WriteLine($"generated {rows:N0} rows, {new FileInfo(path).Length:N0} bytes: {path}");
        return 0;
    }
    case ["read", var path, .. var rest]:
    {
        var hash = rest.Contains("--hash");
        var chunkRows = rest.Where(a => a != "--hash").Select(a => int.Parse(a, invariant)).DefaultIfEmpty(4096).First();
        var reader = new DuckDbDatasetReader();
        var samples = new List<string>();
        long rows = 0, bytes = 0;
        var clock = Stopwatch.StartNew();
        foreach (var chunk in reader.ReadChunks(DatasetSource.Single(path), chunkRows))
        {
            foreach (var example in chunk)
            {
                bytes += example.Instruction.Length + example.Input.Length + example.Output.Length;
                if (hash) bytes += example.ContentHash.Length;
            }
            var before = rows;
            rows += chunk.Count;
            if (before / 200_000 != rows / 200_000) samples.Add($"{rows:N0}: {Rss("VmRSS") / 1024} MB");
        }
        clock.Stop();
        Console.WriteLine($"file        {path} ({new FileInfo(path).Length:N0} bytes)");
        Console.WriteLine($"mode        read{(hash ? " + ContentHash" : "")}, chunk {chunkRows} rows");
        Console.WriteLine($"rows        {rows:N0} ({bytes:N0} chars)");
        Console.WriteLine($"time        {clock.Elapsed.TotalSeconds:F2} s");
        Console.WriteLine($"throughput  {rows / clock.Elapsed.TotalSeconds:N0} rows/s");
        Console.WriteLine($"peak RSS    {Rss("VmHWM") / 1024} MB");
        Console.WriteLine($"RSS by row  {string.Join(", ", samples)}");
        return 0;
    }
    default:
        Console.Error.WriteLine("usage: generate <path> <rows> | read <path> [--hash] [chunkRows]");
        return 2;
}

// Linux /proc/self/status, in kB: VmHWM is the peak resident set, VmRSS the current one.
static long Rss(string field) =>
    File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).First();
