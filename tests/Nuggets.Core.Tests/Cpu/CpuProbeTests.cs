using Nuggets.Core.Cpu;

namespace Nuggets.Core.Tests.Cpu;

/// <summary>
/// Reading the machine from proc/ and sys/ files: a fake root per test, so cgroup v1 and v2, affinity masks and
/// hyper-threads are tested on any machine, whatever its own.
/// </summary>
public sealed class CpuProbeTests
{
    private sealed class FakeRoot
    {
        public string Root { get; } = TestPaths.NewTempDirectory("cpu-root");

        public FakeRoot Write(string relative, string text)
        {
            var path = Path.Combine(Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            return this;
        }

        /// <summary>CPUs 0..n-1, two hyper-threads per core when <paramref name="smt"/>.</summary>
        public FakeRoot Cpus(int n, bool smt)
        {
            for (var cpu = 0; cpu < n; cpu++)
            {
                Write($"sys/devices/system/cpu/cpu{cpu}/topology/physical_package_id", "0\n");
                Write($"sys/devices/system/cpu/cpu{cpu}/topology/core_id", $"{(smt ? cpu / 2 : cpu)}\n");
            }
            Write("proc/stat", "cpu  10 0 10 100 0 0 0 0 0 0\n" + string.Concat(Enumerable.Range(0, n).Select(c => $"cpu{c} 5 0 5 50 0 0 0 0 0 0\n")) + "intr 1 2 3\n");
            return this;
        }

        public CpuFacts Read() => new CpuProbe(Root, TimeSpan.Zero).Read();
    }

    private static FakeRoot Machine(int cpus, string allowed, bool smt = false) =>
        new FakeRoot().Cpus(cpus, smt).Write("proc/self/status", $"Name:\tdotnet\nCpus_allowed:\tff\nCpus_allowed_list:\t{allowed}\nMems_allowed:\t1\n");

    [Test]
    public void The_affinity_mask_and_the_physical_cores_in_it_are_read()
    {
        var facts = Machine(8, "0-1,4,6", smt: true).Read();
        Assert.Multiple(() =>
        {
            Assert.That(facts.AllowedCpus, Is.EqualTo(4));
            Assert.That(facts.PhysicalCores, Is.EqualTo(3), "cpu0 and cpu1 are one core; cpu4 and cpu6 two more");
            Assert.That(facts.OnlineCpus, Is.EqualTo(8));
            Assert.That(facts.CgroupQuota, Is.Null);
        });
    }

    [Test]
    public void Cpuinfo_gives_the_cores_when_sys_has_no_topology()
    {
        var root = new FakeRoot()
            .Write("proc/self/status", "Cpus_allowed_list:\t0-3\n")
            .Write("proc/cpuinfo", string.Concat(Enumerable.Range(0, 4).Select(c => $"processor\t: {c}\nphysical id\t: 0\ncore id\t\t: {c % 2}\n\n")));
        Assert.That(root.Read().PhysicalCores, Is.EqualTo(2));
    }

    [Test]
    public void Cgroup_v2_quota_is_the_smallest_cpu_max_up_the_path()
    {
        var facts = Machine(4, "0-3")
            .Write("proc/self/cgroup", "0::/app/job\n")
            .Write("sys/fs/cgroup/cgroup.controllers", "cpu memory\n")
            .Write("sys/fs/cgroup/app/cpu.max", "150000 100000\n")
            .Write("sys/fs/cgroup/app/job/cpu.max", "max 100000\n")
            .Read();
        Assert.That(facts.CgroupQuota, Is.EqualTo(1.5));
        Assert.That(ThreadPolicy.Decide(Configuration.ThreadCount.Auto, facts).Threads, Is.EqualTo(1));
    }

    [Test]
    public void Cgroup_v1_quota_is_quota_over_period_and_minus_one_is_none()
    {
        FakeRoot V1(string quota) => Machine(4, "0-3")
            .Write("proc/self/cgroup", "12:memory:/x\n3:cpu,cpuacct:/docker/abc\n1:name=systemd:/x\n0::/x\n")
            .Write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n")
            .Write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n")
            .Write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", quota)
            .Write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "50000\n");
        Assert.That(V1("100000\n").Read().CgroupQuota, Is.EqualTo(2.0));
        Assert.That(V1("-1\n").Read().CgroupQuota, Is.Null);
    }

    [Test]
    public void A_container_whose_cgroup_path_is_not_below_the_mount_reads_the_mounts_own_quota()
    {
        // Without a cgroup namespace /proc/self/cgroup names the host's path, while the mount is the container's cgroup.
        var facts = Machine(4, "0-3")
            .Write("proc/self/cgroup", "0::/system.slice/docker-abc.scope\n")
            .Write("sys/fs/cgroup/cgroup.controllers", "cpu\n")
            .Write("sys/fs/cgroup/cpu.max", "200000 100000\n")
            .Read();
        Assert.That(facts.CgroupQuota, Is.EqualTo(2.0));
    }

    [Test]
    public void The_busy_sampler_counts_other_work_from_one_sample_to_the_next_less_this_process_own()
    {
        static string Stat(long busy, long idle) => $"cpu  0 0 0 0 0 0 0 0 0 0\ncpu0 {busy} 0 0 {idle} 0 0 0 0 0 0\ncpu1 {busy} 0 0 {idle} 0 0 0 0 0 0\n";
        static string Self(long user, long system) => $"42 (dotnet) S 1 42 42 0 -1 0 0 0 0 0 {user} {system} 0 0 20 0 9 0";
        var root = Machine(2, "0-1").Write("proc/stat", Stat(0, 0)).Write("proc/self/stat", Self(0, 0));
        var sampler = new CpuProbe(root.Root, TimeSpan.Zero).BusySampler()!;

        // 100 ticks per CPU, all busy; 50 of the 200 were this process's own (its spinning threads included).
        root.Write("proc/stat", Stat(100, 0)).Write("proc/self/stat", Self(40, 10));
        Assert.That(sampler.Sample(), Is.EqualTo(1.5).Within(1e-9));
        // The next 100 ticks idle: measured from the previous sample, not from the start.
        root.Write("proc/stat", Stat(100, 100));
        Assert.That(sampler.Sample(), Is.EqualTo(0).Within(1e-9));

        Assert.That(new CpuProbe(TestPaths.NewTempDirectory("no-proc"), TimeSpan.Zero).BusySampler(), Is.Null);
    }

    [Test]
    public void Nothing_readable_falls_back_to_the_processor_count()
    {
        var facts = new CpuProbe(TestPaths.NewTempDirectory("no-proc"), TimeSpan.FromMilliseconds(1)).Read();
        Assert.That(facts, Is.EqualTo(new CpuFacts(Environment.ProcessorCount)));
    }

    [Test]
    public void This_machine_reads_without_error_and_auto_stays_within_what_the_process_may_use()
    {
        var facts = new CpuProbe("/", TimeSpan.FromMilliseconds(20)).Read();
        var choice = ThreadPolicy.Decide(Configuration.ThreadCount.Auto, facts);
        Assert.That(choice.Threads, Is.InRange(1, facts.AllowedCpus), choice.Reason);
        // .NET's count folds the affinity mask in (and the quota, and DOTNET_PROCESSOR_COUNT), so the mask is never smaller.
        if (Environment.GetEnvironmentVariable("DOTNET_PROCESSOR_COUNT") is null)
            Assert.That(facts.AllowedCpus, Is.GreaterThanOrEqualTo(Environment.ProcessorCount), choice.Reason);
    }
}
