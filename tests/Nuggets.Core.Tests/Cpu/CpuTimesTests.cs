using Nuggets.Core.Cpu;

namespace Nuggets.Core.Tests.Cpu;

/// <summary>Busy CPUs from two readings of /proc/stat and /proc/self/stat.</summary>
public sealed class CpuTimesTests
{
    // user nice system idle iowait irq softirq steal guest guest_nice, per CPU.
    private static string Stat(params (long Busy, long Idle)[] cpus) =>
        "cpu  0 0 0 0 0 0 0 0 0 0\n" + string.Concat(cpus.Select((c, i) => $"cpu{i} {c.Busy} 0 0 {c.Idle} 0 0 0 0 0 0\n")) + "ctxt 5\n";

    // The command name may hold spaces and parentheses; utime and stime are fields 14 and 15.
    private static string Self(long user, long system) => $"42 (my (odd) name) S 1 42 42 0 -1 4194560 100 0 0 0 {user} {system} 0 0 20 0 9 0";

    [Test]
    public void Busy_cpus_are_the_masks_busy_ticks_over_one_cpus_ticks()
    {
        var before = CpuTimes.Parse(Stat((0, 0), (0, 0), (0, 0)), Self(0, 0))!;
        // Over 20 ticks: cpu0 fully busy, cpu1 half, cpu2 (outside the mask) fully busy.
        var after = CpuTimes.Parse(Stat((20, 0), (10, 10), (20, 0)), Self(0, 0))!;
        Assert.That(CpuTimes.BusyCpus(before, after, [0, 1]), Is.EqualTo(1.5).Within(1e-9));
        Assert.That(CpuTimes.BusyCpus(before, after, [0, 1, 2]), Is.EqualTo(2.5).Within(1e-9));
    }

    [Test]
    public void This_process_own_time_is_not_counted_as_other_work()
    {
        var before = CpuTimes.Parse(Stat((0, 0), (0, 0)), Self(100, 50))!;
        var after = CpuTimes.Parse(Stat((20, 0), (10, 10)), Self(110, 55))!;
        Assert.That(CpuTimes.BusyCpus(before, after, [0, 1]), Is.EqualTo(0.75).Within(1e-9));
    }

    [Test]
    public void Iowait_is_idle_and_steal_is_busy()
    {
        var before = CpuTimes.Parse("cpu0 0 0 0 0 0 0 0 0 0 0\n", null)!;
        var after = CpuTimes.Parse("cpu0 0 0 0 5 10 0 0 5 0 0\n", null)!;
        Assert.That(CpuTimes.BusyCpus(before, after, [0]), Is.EqualTo(0.25).Within(1e-9));
    }

    [Test]
    public void No_time_passing_or_no_cpu_lines_reads_as_idle_or_unknown()
    {
        var same = CpuTimes.Parse(Stat((7, 7)), null)!;
        Assert.That(CpuTimes.BusyCpus(same, same, [0]), Is.Zero);
        Assert.That(CpuTimes.Parse("intr 1 2\n", null), Is.Null);
    }

    [TestCase("0-3", new[] { 0, 1, 2, 3 })]
    [TestCase("0,2-3,8\n", new[] { 0, 2, 3, 8 })]
    [TestCase(" 5 ", new[] { 5 })]
    public void Cpu_lists_parse(string text, int[] expected) => Assert.That(CpuList.Parse(text), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase("3-1")]
    [TestCase("a-b")]
    [TestCase("0-99999999")]
    public void Bad_cpu_lists_are_unknown(string text) => Assert.That(CpuList.Parse(text), Is.Null);

    [TestCase("max 100000", null)]
    [TestCase("150000 100000\n", 1.5)]
    [TestCase("50000", 0.5)]
    [TestCase("junk", null)]
    public void Cpu_max_parses(string text, double? expected) => Assert.That(CgroupQuota.ParseCpuMax(text), Is.EqualTo(expected));
}
