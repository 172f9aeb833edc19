using System.Globalization;

namespace Nuggets.Core.Cpu;

/// <summary>
/// Reads <see cref="CpuFacts"/> from Linux's /proc and /sys: the affinity mask, the physical cores in it, the cgroup
/// CPU quota, the load average, and how busy the mask's CPUs are over a short sample. Every part that cannot be
/// read is left unknown (null), so on other systems it falls back to <see cref="Environment.ProcessorCount"/>.
/// </summary>
/// <remarks>
/// Busy CPUs are sampled (two reads of /proc/stat a moment apart) rather than taken from the load average: the load
/// average trails by a minute and counts the whole machine, while the sample sees now and only the CPUs this process
/// may use. Measuring decode speed with 1 and N threads instead was left out: on a busy machine its answer varies
/// from one try to the next and it costs model time at every start, while the sample takes a fixed 200 ms.
/// </remarks>
/// <param name="root">The file system root: <c>/</c>, or a folder holding proc/ and sys/ in tests.</param>
/// <param name="sample">How long to sample busy time; zero skips the sample.</param>
public sealed class CpuProbe(string root, TimeSpan sample)
{
    /// <summary>How long the default probe samples busy time.</summary>
    public static readonly TimeSpan DefaultSample = TimeSpan.FromMilliseconds(200);

    /// <summary>This machine, sampled for <see cref="DefaultSample"/>.</summary>
    public static CpuProbe ThisMachine { get; } = new("/", DefaultSample);

    /// <summary>Reads the facts; takes about the sample's time.</summary>
    public CpuFacts Read()
    {
        var mask = AllowedCpus();
        var allowed = mask?.Count ?? Environment.ProcessorCount;
        var before = Times();
        if (before is not null && sample > TimeSpan.Zero) Thread.Sleep(sample);
        var after = before is null || sample <= TimeSpan.Zero ? null : Times();
        double? busy = before is not null && after is not null && mask is not null ? CpuTimes.BusyCpus(before, after, mask) : null;
        return new CpuFacts(
            AllowedCpus: allowed,
            PhysicalCores: mask is null ? null : PhysicalCores.Count(root, mask),
            CgroupQuota: CgroupQuota.Read(root),
            BusyCpus: busy,
            LoadAverage: LoadAverage(),
            OnlineCpus: before?.PerCpu.Count,
            SampleMilliseconds: busy is null ? 0 : (int)sample.TotalMilliseconds);
    }

    /// <summary>
    /// A sampler of the CPUs other processes keep busy on this process's CPUs, for re-checking <c>auto</c> while a
    /// run decodes (<see cref="ThreadGovernor"/>); null when the mask or /proc/stat cannot be read.
    /// </summary>
    public IBusySampler? BusySampler() =>
        AllowedCpus() is { } mask && CpuTimes.Read(root) is not null ? new ProcBusySampler(root, mask) : null;

    /// <summary>
    /// The affinity mask from <c>Cpus_allowed_list</c>: the same set sched_getaffinity returns, as numbers, which
    /// <see cref="Environment.ProcessorCount"/> does not give (it is a count, and also folds in the cgroup quota).
    /// </summary>
    private IReadOnlyList<int>? AllowedCpus()
    {
        var status = SystemFile.Read(Path.Combine(root, "proc/self/status"));
        var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        return line is null ? null : CpuList.Parse(line["Cpus_allowed_list:".Length..]);
    }

    private CpuTimes? Times() => CpuTimes.Read(root);

    private double? LoadAverage()
    {
        var text = SystemFile.Read(Path.Combine(root, "proc/loadavg"));
        var first = text?.Split(' ', 2)[0];
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) && load >= 0 ? load : null;
    }
}
