using Nuggets.Core.Cpu;

namespace Nuggets.Llama;

/// <summary>How many threads llama.cpp uses when a context is created with 0 threads.</summary>
public static class CpuTopology
{
    /// <summary>
    /// Physical cores this process may use: those in its affinity mask, capped by the cgroup CPU quota
    /// (<see cref="ThreadPolicy"/> without the load sample). llama.cpp's default of 4 threads on a 2-core machine
    /// oversubscribes it and decodes ~20× slower; hyper-threads add nothing to its matrix kernels. The pipeline
    /// passes its own choice (<c>model.threads</c>, which also leaves out busy cores); this is the library's default.
    /// </summary>
    public static int PhysicalCores { get; } = ThreadPolicy.DecideAuto(new CpuProbe("/", TimeSpan.Zero).Read()).Threads;
}
