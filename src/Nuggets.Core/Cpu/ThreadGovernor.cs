namespace Nuggets.Core.Cpu;

/// <summary>
/// Keeps <c>model.threads: auto</c> right while a run decodes. Every <see cref="Interval"/> (checked by
/// <see cref="Poll"/>, which the pipeline calls between engine calls, never inside one) it asks what the auto rule
/// wants now and hands a changed count to <c>apply</c>, which sets it on the model's contexts.
/// </summary>
/// <remarks>
/// <para>
/// The start-up sample cannot see a run started at the same moment: both sample an idle machine, both take every
/// core, and ggml's spinning threads then collapse both 6-16x. Re-sampling sees the other run's threads as busy CPUs
/// (this process's own time is left out), so on 2 cores two runs at 2 threads each see the other at about 1 CPU and
/// drop to 1; at 1 thread each they still see the other at about 1 CPU, which keeps them at 1; when one ends, the
/// other sees an idle machine and goes back up.
/// </para>
/// <para>
/// Hysteresis: a lower count is applied at once, since more threads than free cores is the costly mistake; a higher
/// one only when <see cref="ChecksBeforeRaise"/> checks in a row want more, and then the smallest they wanted, so a
/// moment of quiet (the other run committing to its cache) does not make both runs take every core again. A raise
/// undone at the very next check doubles the checks the next raise waits for (up to
/// <see cref="MaxChecksBeforeRaise"/>): two runs whose checks fall together on 3 cores would otherwise both go
/// 1 → 2 → 1 for ever. The count never changes a score (docs/exactness.md), only the speed. Not thread-safe: poll
/// from the thread that runs the model.
/// </para>
/// </remarks>
public sealed class ThreadGovernor
{
    /// <summary>How often the load is re-checked by default.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    /// <summary>Checks in a row that must want more threads before the count is raised.</summary>
    public const int ChecksBeforeRaise = 2;

    /// <summary>The most checks a raise waits for after raises that did not hold (16 checks: 32 s by default).</summary>
    public const int MaxChecksBeforeRaise = 16;

    private readonly Func<int?> wanted;
    private readonly Action<int> apply;
    private readonly TimeProvider clock;
    private long lastCheck;
    private int raiseAfter = ChecksBeforeRaise;
    private int agreeing;
    private int raiseTo;
    private bool justRaised;

    /// <summary>A governor that starts at <paramref name="start"/> threads.</summary>
    /// <param name="start">The count the run started with (the contexts already have it).</param>
    /// <param name="wanted">The count the auto rule wants now (null: cannot tell, keep the count); asked once per check.</param>
    /// <param name="apply">Sets a new count on the model's contexts; called only between engine calls.</param>
    /// <param name="clock">Time source; <see cref="TimeProvider.System"/> in a run, a fake in tests.</param>
    /// <param name="interval">Least time between two checks; zero checks at every poll.</param>
    public ThreadGovernor(int start, Func<int?> wanted, Action<int> apply, TimeProvider clock, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(start, 1);
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(clock);
        this.wanted = wanted;
        this.apply = apply;
        this.clock = clock;
        Interval = interval;
        Threads = start;
        Range = new ThreadRange(start, start, 0);
        lastCheck = clock.GetTimestamp();
    }

    /// <summary>
    /// A governor that re-applies the auto rule (<see cref="ThreadPolicy.Decide"/>) to <paramref name="machine"/>'s
    /// cores and quota with the busy CPUs <paramref name="sampler"/> reports at each check.
    /// </summary>
    public static ThreadGovernor FollowingLoad(int start, CpuFacts machine, IBusySampler sampler, Action<int> apply, TimeProvider clock, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(sampler);
        return new ThreadGovernor(start, Wanted, apply, clock, interval);

        int? Wanted() => sampler.Sample() is { } busy
            ? ThreadPolicy.Decide(Configuration.ThreadCount.Auto, machine with { BusyCpus = busy, SampleMilliseconds = 0 }).Threads
            : null;
    }

    /// <summary>
    /// The governor of a run on this machine: null unless <paramref name="start"/> was chosen by <c>auto</c> (a set
    /// count is never changed) or when the load cannot be sampled here. <see cref="ThreadScript.Variable"/> replaces
    /// the load with a script, for tests.
    /// </summary>
    public static ThreadGovernor? ForThisMachine(ThreadChoice start, Action<int> apply)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (start.Rule != ThreadChoice.AutoRule) return null;
        if (ThreadScript.FromEnvironment() is { } script)
            return new ThreadGovernor(start.Threads, script, apply, TimeProvider.System, TimeSpan.Zero);
        // No sample here: the cores, mask and quota are what the start-up probe read; only the busy CPUs move.
        var probe = new CpuProbe("/", TimeSpan.Zero);
        return probe.BusySampler() is { } sampler
            ? FollowingLoad(start.Threads, probe.Read(), sampler, apply, TimeProvider.System, DefaultInterval)
            : null;
    }

    /// <summary>Least time between two checks.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The count the model's contexts have now.</summary>
    public int Threads { get; private set; }

    /// <summary>The counts used so far.</summary>
    public ThreadRange Range { get; private set; }

    /// <summary>
    /// Checks the load when <see cref="Interval"/> has passed since the last check, and applies a changed count.
    /// Costs one clock read otherwise, so it can be called before every engine call.
    /// </summary>
    public void Poll()
    {
        var now = clock.GetTimestamp();
        if (clock.GetElapsedTime(lastCheck, now) < Interval) return;
        lastCheck = now;
        if (wanted() is not { } want) return;
        want = Math.Max(1, want);
        var afterRaise = justRaised;
        justRaised = false;
        if (want < Threads)
        {
            // A drop at the check right after a raise: the raise oversubscribed the cores, most likely because another
            // run raised at the same moment. Waiting longer before the next raise lets the two fall out of step.
            if (afterRaise) raiseAfter = Math.Min(raiseAfter * 2, MaxChecksBeforeRaise);
            agreeing = 0;
            Set(want);
            return;
        }
        if (afterRaise) raiseAfter = ChecksBeforeRaise; // the raise held
        if (want == Threads)
        {
            agreeing = 0;
            return;
        }
        raiseTo = agreeing == 0 ? want : Math.Min(raiseTo, want);
        if (++agreeing < raiseAfter) return;
        agreeing = 0;
        Set(raiseTo);
        justRaised = true;
    }

    private void Set(int threads)
    {
        apply(threads);
        Threads = threads;
        Range = new ThreadRange(Math.Min(Range.Lowest, threads), Math.Max(Range.Highest, threads), Range.Changes + 1);
    }
}
