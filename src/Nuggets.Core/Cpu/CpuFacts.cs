namespace Nuggets.Core.Cpu;

/// <summary>
/// What this process may run on and how busy that is, read once as a run starts: the inputs of
/// <see cref="ThreadPolicy.Decide"/>. Read by <see cref="CpuProbe"/>; tests build it by hand.
/// </summary>
/// <param name="AllowedCpus">Logical CPUs in the affinity mask (<c>Cpus_allowed_list</c>, what sched_getaffinity returns).</param>
/// <param name="PhysicalCores">Distinct physical cores among those CPUs; null when the topology is unknown.</param>
/// <param name="CgroupQuota">CPUs the cgroup quota allows (quota / period, e.g. 1.5); null when there is none.</param>
/// <param name="BusyCpus">CPUs of the mask kept busy by other processes during the sample; null when not sampled.</param>
/// <param name="LoadAverage">The machine's 1-minute load average; null when unknown.</param>
/// <param name="OnlineCpus">Logical CPUs of the whole machine (the load average's scale); null when unknown.</param>
/// <param name="SampleMilliseconds">How long <paramref name="BusyCpus"/> was sampled over.</param>
public sealed record CpuFacts(
    int AllowedCpus,
    int? PhysicalCores = null,
    double? CgroupQuota = null,
    double? BusyCpus = null,
    double? LoadAverage = null,
    int? OnlineCpus = null,
    int SampleMilliseconds = 0);
