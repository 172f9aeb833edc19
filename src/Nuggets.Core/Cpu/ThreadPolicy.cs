using System.Globalization;
using Nuggets.Core.Configuration;

namespace Nuggets.Core.Cpu;

/// <summary>
/// Turns <c>model.threads</c> into a thread count. <c>auto</c> takes the physical cores of the CPUs this process may
/// run on, caps them at the cgroup CPU quota, and leaves out the cores other processes keep busy, never going below 1.
/// </summary>
/// <remarks>
/// ggml's compute threads spin at a barrier after every operation, so one descheduled thread stalls all the others:
/// on an oversubscribed machine a decode gets 6-16x slower, not 2x. Fewer threads than cores costs at most
/// proportionally; more threads than free cores costs far more, so every rounding here goes down. The count never
/// changes a score (scoring is exact by construction, docs/exactness.md), only how fast it comes.
/// </remarks>
public static class ThreadPolicy
{
    /// <summary>
    /// A core counts as taken once other work uses this much of it: a ggml thread that shares a core with it is
    /// preempted often enough to hold up every barrier, so a third of a core is not worth the risk.
    /// </summary>
    public const double BusyFrom = 0.3;

    /// <summary>
    /// The thread count for <paramref name="setting"/> on this machine; only <c>auto</c> reads the machine (and waits
    /// for the probe's sample), a set number is taken as it is.
    /// </summary>
    /// <param name="setting"><c>model.threads</c>.</param>
    /// <param name="probe">Where the facts come from; default <see cref="CpuProbe.ThisMachine"/>.</param>
    public static ThreadChoice Choose(ThreadCount setting, CpuProbe? probe = null) =>
        Decide(setting, setting.IsAuto ? (probe ?? CpuProbe.ThisMachine).Read() : new CpuFacts(AllowedCpus: 1));

    /// <summary>
    /// The <c>auto</c> thread count on a machine described by <paramref name="facts"/>: what a library default (e.g. a
    /// llama.cpp context created with 0 threads) uses, without a <c>model.threads</c> setting to read.
    /// </summary>
    public static ThreadChoice DecideAuto(CpuFacts facts) => Decide(ThreadCount.Auto, facts);

    /// <summary>The thread count for <paramref name="setting"/> on a machine described by <paramref name="facts"/>.</summary>
    public static ThreadChoice Decide(ThreadCount setting, CpuFacts facts)
    {
        if (setting.Count is { } count) return new ThreadChoice(count, ThreadChoice.SetRule, $"set by model.threads = {count}");

        var allowed = Math.Max(1, facts.AllowedCpus);
        var cores = Math.Clamp(facts.PhysicalCores ?? allowed, 1, allowed);
        var cap = cores;
        // A fractional quota is rounded down: 1.5 CPUs of quota throttle a second thread for part of every period.
        if (facts.CgroupQuota is { } quota) cap = Math.Min(cap, Math.Max(1, (int)Math.Floor(quota + 1e-9)));

        var busy = BusyCpus(facts, allowed);
        // The scheduler spreads busy threads over physical cores first, so busy CPUs are counted against cores.
        var taken = busy is { } b ? Math.Max(0, (int)Math.Ceiling(b - BusyFrom - 1e-9)) : 0;
        var threads = Math.Clamp(cores - taken, 1, cap);
        return new ThreadChoice(threads, ThreadChoice.AutoRule, Reason(facts, allowed, cores, busy));
    }

    /// <summary>Busy CPUs of the mask: the sample when there is one, else the load average scaled to the mask.</summary>
    private static double? BusyCpus(CpuFacts facts, int allowed)
    {
        if (facts.BusyCpus is { } sampled) return Math.Clamp(sampled, 0, allowed);
        if (facts.LoadAverage is not { } load) return null;
        var share = facts.OnlineCpus is { } online && online > 0 ? (double)allowed / online : 1;
        return Math.Clamp(load * share, 0, allowed);
    }

    private static string Reason(CpuFacts facts, int allowed, int cores, double? busy)
    {
        static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
        var physical = facts.PhysicalCores is null ? "physical cores unknown" : $"{cores} physical core{(cores == 1 ? "" : "s")}";
        var quota = facts.CgroupQuota is { } q ? $"{N(q)} CPUs" : "none";
        var load = busy is null ? "busy CPUs unknown"
            : facts.BusyCpus is not null ? $"{N(busy.Value)} CPUs busy with other work (sampled over {facts.SampleMilliseconds} ms)"
            : $"{N(busy.Value)} CPUs busy by the load average";
        var average = facts.LoadAverage is { } l ? $", load average {N(l)}" : "";
        return $"auto: {allowed} CPU{(allowed == 1 ? "" : "s")} allowed by affinity ({physical}), cgroup quota {quota}, {load}{average}";
    }
}
