namespace Nuggets.Core.Cpu;

/// <summary>
/// How busy other processes keep the CPUs this process may run on, measured from one call to the next: the input
/// <see cref="ThreadGovernor"/> re-checks <c>auto</c> with. Read from /proc by <see cref="CpuProbe.BusySampler"/>;
/// tests give their own.
/// </summary>
public interface IBusySampler
{
    /// <summary>
    /// CPUs of the affinity mask kept busy by other processes since the previous call (or since the sampler was
    /// made): their busy time less this process's own, which includes its own spinning compute threads. Null when
    /// it cannot be told.
    /// </summary>
    double? Sample();
}
