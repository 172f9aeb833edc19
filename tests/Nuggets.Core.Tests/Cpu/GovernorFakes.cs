using Nuggets.Core.Cpu;

namespace Nuggets.Core.Tests.Cpu;

/// <summary>A clock that moves only when a test says so.</summary>
internal sealed class FakeClock : TimeProvider
{
    private long ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => ticks;

    public void Advance(TimeSpan by) => ticks += by.Ticks;
}

/// <summary>Reports whatever the test put in <see cref="Busy"/>, and counts how often it was asked.</summary>
internal sealed class FakeSampler : IBusySampler
{
    public double? Busy { get; set; }

    public int Samples { get; private set; }

    public double? Sample()
    {
        Samples++;
        return Busy;
    }
}

/// <summary>
/// Runs sharing one machine's cores, each with its own governor: a run at t threads gets t × min(1, cores / all
/// threads) CPUs, and each governor's sampler reports the others' CPUs. A model of the scheduler, for checking that the
/// rule settles, not a prediction of speed.
/// </summary>
internal sealed class SharedMachine(int cores)
{
    private readonly List<(ThreadGovernor Governor, FakeSampler Sampler)> runs = [];
    private readonly HashSet<int> ended = [];

    public FakeClock Clock { get; } = new();

    public int Start(int threads)
    {
        var sampler = new FakeSampler();
        var facts = new CpuFacts(AllowedCpus: cores, PhysicalCores: cores);
        runs.Add((ThreadGovernor.FollowingLoad(threads, facts, sampler, _ => { }, Clock, ThreadGovernor.DefaultInterval), sampler));
        return runs.Count - 1;
    }

    public void End(int run) => ended.Add(run);

    public int Threads(int run) => runs[run].Governor.Threads;

    public ThreadGovernor Governor(int run) => runs[run].Governor;

    public int TotalThreads => Live.Sum(Threads);

    /// <summary>
    /// One check of every live run, an interval after the last. <paramref name="together"/>: all sample before any
    /// applies (checks that fall at the same moment, the worst case); otherwise each sees the ones before it.
    /// </summary>
    public void Check(bool together)
    {
        Clock.Advance(ThreadGovernor.DefaultInterval);
        if (together)
            foreach (var run in Live) runs[run].Sampler.Busy = Others(run);
        foreach (var run in Live)
        {
            if (!together) runs[run].Sampler.Busy = Others(run);
            runs[run].Governor.Poll();
        }
    }

    private IEnumerable<int> Live => Enumerable.Range(0, runs.Count).Where(r => !ended.Contains(r));

    private double Others(int run)
    {
        var share = Math.Min(1.0, (double)cores / TotalThreads);
        return Live.Where(r => r != run).Sum(r => Threads(r) * share);
    }
}
