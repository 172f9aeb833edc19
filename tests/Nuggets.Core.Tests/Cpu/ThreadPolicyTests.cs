using Nuggets.Core.Configuration;
using Nuggets.Core.Cpu;

namespace Nuggets.Core.Tests.Cpu;

/// <summary>The auto thread rule on machines described by hand: no file or clock of this machine is read.</summary>
public sealed class ThreadPolicyTests
{
    private static ThreadChoice Auto(CpuFacts facts) => ThreadPolicy.Decide(ThreadCount.Auto, facts);

    [Test]
    public void A_set_count_is_used_as_it_is_whatever_the_machine()
    {
        var choice = ThreadPolicy.Decide(ThreadCount.Fixed(6), new CpuFacts(AllowedCpus: 2, BusyCpus: 2));
        Assert.That(choice, Is.EqualTo(new ThreadChoice(6, "set", "set by model.threads = 6")));
    }

    [Test]
    public void A_set_count_reads_nothing_of_the_machine()
    {
        // A probe over a folder with no proc/ or sys/ would know nothing; a set count must not need it.
        var probe = new CpuProbe(TestPaths.NewTempDirectory("no-proc"), TimeSpan.FromHours(1));
        Assert.That(ThreadPolicy.Choose(ThreadCount.Fixed(3), probe).Threads, Is.EqualTo(3));
    }

    [TestCase(2, 2, 0.0, 2)]
    [TestCase(8, 4, 0.0, 4)]   // hyper-threads: 8 logical CPUs, 4 cores
    [TestCase(2, 2, 0.3, 2)]   // a third of a core in use still counts as free
    [TestCase(2, 2, 0.31, 1)]
    [TestCase(2, 2, 0.95, 1)]
    [TestCase(2, 2, 2.0, 1)]   // never below 1
    [TestCase(2, 2, 9.0, 1)]
    [TestCase(16, 16, 5.2, 11)]  // five whole cores, and a fifth of another that still counts as free
    [TestCase(16, 16, 5.4, 10)]
    [TestCase(8, 4, 2.0, 2)]   // busy CPUs are counted against cores: the scheduler spreads them over cores first
    public void Auto_takes_the_physical_cores_less_the_busy_ones(int allowed, int cores, double busy, int expected)
    {
        var choice = Auto(new CpuFacts(AllowedCpus: allowed, PhysicalCores: cores, BusyCpus: busy, SampleMilliseconds: 200));
        Assert.That(choice.Threads, Is.EqualTo(expected), choice.Reason);
        Assert.That(choice.Rule, Is.EqualTo("auto"));
    }

    [TestCase(1.5, 1)]   // a fractional quota rounds down
    [TestCase(2.0, 2)]
    [TestCase(0.25, 1)]
    [TestCase(64.0, 4)]  // a quota above the cores changes nothing
    public void Auto_stays_within_the_cgroup_quota(double quota, int expected)
    {
        Assert.That(Auto(new CpuFacts(AllowedCpus: 8, PhysicalCores: 4, CgroupQuota: quota, BusyCpus: 0)).Threads, Is.EqualTo(expected));
    }

    [Test]
    public void Unknown_topology_counts_each_allowed_cpu_as_a_core_and_more_cores_than_cpus_are_not_believed()
    {
        Assert.That(Auto(new CpuFacts(AllowedCpus: 3)).Threads, Is.EqualTo(3));
        Assert.That(Auto(new CpuFacts(AllowedCpus: 2, PhysicalCores: 8)).Threads, Is.EqualTo(2));
    }

    [Test]
    public void Without_a_sample_the_load_average_is_scaled_to_the_cpus_allowed()
    {
        // 4 of 64 CPUs: a load of 32 on the machine is 2 busy CPUs of ours.
        Assert.That(Auto(new CpuFacts(AllowedCpus: 4, PhysicalCores: 4, LoadAverage: 32, OnlineCpus: 64)).Threads, Is.EqualTo(2));
        // A sample, when there is one, wins over the load average, which trails by a minute.
        Assert.That(Auto(new CpuFacts(AllowedCpus: 4, PhysicalCores: 4, BusyCpus: 0, LoadAverage: 32, OnlineCpus: 64)).Threads, Is.EqualTo(4));
    }

    [Test]
    public void The_reason_names_every_figure_behind_the_choice()
    {
        var choice = Auto(new CpuFacts(AllowedCpus: 2, PhysicalCores: 2, CgroupQuota: 1.5, BusyCpus: 0.1, LoadAverage: 7.2, OnlineCpus: 2, SampleMilliseconds: 200));
        Assert.That(choice.Reason, Is.EqualTo(
            "auto: 2 CPUs allowed by affinity (2 physical cores), cgroup quota 1.5 CPUs, 0.1 CPUs busy with other work (sampled over 200 ms), load average 7.2"));
        Assert.That(choice.ToString(), Does.StartWith("1 thread (auto: 2 CPUs"));
        Assert.That(Auto(new CpuFacts(AllowedCpus: 1)).Reason, Is.EqualTo("auto: 1 CPU allowed by affinity (physical cores unknown), cgroup quota none, busy CPUs unknown"));
    }
}
