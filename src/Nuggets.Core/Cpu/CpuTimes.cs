using System.Globalization;

namespace Nuggets.Core.Cpu;

/// <summary>
/// Counters of CPU time at one moment: per CPU from /proc/stat, and this process's own from /proc/self/stat, both in
/// clock ticks. Two of them a short time apart say how busy the CPUs were, and how much of that was this process.
/// </summary>
/// <param name="PerCpu">For each CPU number: total ticks and idle ticks (idle + iowait).</param>
/// <param name="OwnTicks">This process's user + system ticks (all its threads).</param>
internal sealed record CpuTimes(IReadOnlyDictionary<int, (long Total, long Idle)> PerCpu, long OwnTicks)
{
    /// <summary>Reads the counters under <paramref name="root"/> (<c>/</c>, or a folder with proc/ in tests); null when /proc/stat cannot be read.</summary>
    public static CpuTimes? Read(string root) =>
        SystemFile.Read(Path.Combine(root, "proc/stat")) is { } stat
            ? Parse(stat, SystemFile.Read(Path.Combine(root, "proc/self/stat")))
            : null;

    /// <summary>Reads the counters from /proc/stat and /proc/self/stat text; null when /proc/stat has no per-CPU lines.</summary>
    public static CpuTimes? Parse(string procStat, string? selfStat)
    {
        var perCpu = new Dictionary<int, (long, long)>();
        foreach (var line in procStat.Split('\n'))
        {
            // "cpu3 user nice system idle iowait irq softirq steal guest guest_nice"; the bare "cpu" line is the sum.
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4 || !char.IsAsciiDigit(line[3])) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!int.TryParse(fields[0].AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var cpu) || fields.Length < 5) continue;
            var values = fields.Skip(1).Take(8).Select(f => long.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
            // guest time is already inside user; steal is time the hypervisor gave to others, so it counts as busy.
            var total = values.Sum();
            var idle = values[3] + (values.Length > 4 ? values[4] : 0);
            perCpu[cpu] = (total, idle);
        }
        return perCpu.Count == 0 ? null : new CpuTimes(perCpu, OwnTicksOf(selfStat));
    }

    /// <summary>
    /// CPUs of <paramref name="cpus"/> kept busy by other processes between <paramref name="before"/> and
    /// <paramref name="after"/>: their busy ticks less this process's own, over the ticks one CPU had in that time.
    /// </summary>
    public static double BusyCpus(CpuTimes before, CpuTimes after, IReadOnlyCollection<int> cpus)
    {
        long total = 0, busy = 0;
        var counted = 0;
        foreach (var cpu in cpus)
        {
            if (!before.PerCpu.TryGetValue(cpu, out var b) || !after.PerCpu.TryGetValue(cpu, out var a)) continue;
            var elapsed = a.Total - b.Total;
            if (elapsed <= 0) continue;
            total += elapsed;
            busy += Math.Clamp(elapsed - (a.Idle - b.Idle), 0, elapsed);
            counted++;
        }
        if (counted == 0 || total == 0) return 0;
        var ticksPerCpu = (double)total / counted;
        var others = busy - Math.Max(0, after.OwnTicks - before.OwnTicks);
        return Math.Max(0, others / ticksPerCpu);
    }

    /// <summary>Fields 14 and 15 (utime, stime) of /proc/self/stat, counted after the command name, which may hold spaces.</summary>
    private static long OwnTicksOf(string? selfStat)
    {
        if (selfStat is null) return 0;
        var close = selfStat.LastIndexOf(')');
        if (close < 0) return 0;
        var fields = selfStat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? user + system
            : 0;
    }
}
