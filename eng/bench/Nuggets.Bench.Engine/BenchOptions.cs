namespace Nuggets.Bench.Engine;

/// <summary>Command line: --models stories,random30m --anchors 100 --candidates 6 --batch 512 --threads 0 --data FILE --work DIR</summary>
internal sealed record BenchOptions(string[] Models, int Anchors, int Candidates, int BatchSize, int Threads, string Data, string WorkDirectory, string Shared)
{
    public static BenchOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var shared = Path.GetFullPath(Get("shared", Path.Combine(AppContext.BaseDirectory, "../../../../../../../shared")));
        return new BenchOptions(
            Get("models", "stories,random30m").Split(','),
            int.Parse(Get("anchors", "100")),
            int.Parse(Get("candidates", "6")),
            int.Parse(Get("batch", "512")),
            int.Parse(Get("threads", "0")),
            Get("data", Path.Combine(shared, "data", "alpaca", "alpaca_2k.jsonl")),
            Get("work", Path.Combine(Path.GetTempPath(), "nuggets-bench")),
            shared);
    }
}
