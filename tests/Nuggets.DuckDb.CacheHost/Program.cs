using System.Security.Cryptography;
using System.Text;
using Nuggets.Core.Data;
using Nuggets.Core.Scoring;
using Nuggets.DuckDb.Cache;

// write <cache> <batch>: commits batches of pairs forever, printing "committed <n>" after each commit.
// hold <cache>: opens the cache, prints "ready", and keeps it open until stdin closes or a line arrives.
// upgrade <cache>: prints "opening", opens (so upgrades) the cache, prints "upgraded from <version>".
switch (args)
{
    case ["write", var path, var batchText]:
    {
        var batch = int.Parse(batchText, System.Globalization.CultureInfo.InvariantCulture);
        using var cache = ScoreCache.Open(path);
        for (var n = 0; ; n++)
        {
            var entries = Enumerable.Range(0, batch)
                .Select(i => new PairEntry(Key($"c{n}"), Key($"a{i}"), new LogProbSum(-n - i / 1000.0, i + 1)))
                .ToList();
            cache.PutPairs("fp", entries);
            Console.WriteLine($"committed {n}");
        }
    }
    case ["hold", var path]:
    {
        using var cache = ScoreCache.Open(path);
        Console.WriteLine("ready");
        Console.ReadLine();
        return 0;
    }
    case ["upgrade", var path]:
    {
        // Printed just before the open that upgrades a version-1 cache, for a test that kills it then.
        Console.WriteLine("opening");
        using var cache = ScoreCache.Open(path);
        Console.WriteLine($"upgraded from {cache.Connection.UpgradedFromVersion}");
        return 0;
    }
    default:
        Console.Error.WriteLine("usage: write <cache> <batch> | hold <cache> | upgrade <cache>");
        return 2;
}

// The cache takes only SHA-256 hex keys; the same as the tests' TestKeys.Of.
static string Key(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
