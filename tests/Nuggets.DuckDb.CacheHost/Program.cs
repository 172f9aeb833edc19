using Nuggets.Core.Data;
using Nuggets.Core.Scoring;
using Nuggets.DuckDb.Cache;

// write <cache> <batch>: commits batches of pairs forever, printing "committed <n>" after each commit.
// hold <cache>: opens the cache, prints "ready", and keeps it open until stdin closes or a line arrives.
switch (args)
{
    case ["write", var path, var batchText]:
    {
        var batch = int.Parse(batchText, System.Globalization.CultureInfo.InvariantCulture);
        using var cache = ScoreCache.Open(path);
        for (var n = 0; ; n++)
        {
            var entries = Enumerable.Range(0, batch)
                .Select(i => new PairEntry($"c{n}", $"a{i}", new LogProbSum(-n - i / 1000.0, i + 1)))
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
    default:
        Console.Error.WriteLine("usage: write <cache> <batch> | hold <cache>");
        return 2;
}
