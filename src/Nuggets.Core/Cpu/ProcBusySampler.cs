namespace Nuggets.Core.Cpu;

/// <summary>
/// <see cref="IBusySampler"/> from /proc/stat and /proc/self/stat: each call compares the counters with the previous
/// call's, so the sample spans the whole time between two checks and costs two file reads, no waiting.
/// </summary>
/// <param name="root">The file system root (<c>/</c>; a folder with proc/ in tests).</param>
/// <param name="mask">The CPUs this process may run on.</param>
internal sealed class ProcBusySampler(string root, IReadOnlyCollection<int> mask) : IBusySampler
{
    private CpuTimes? previous = CpuTimes.Read(root);

    /// <inheritdoc />
    public double? Sample()
    {
        var now = CpuTimes.Read(root);
        var before = previous;
        previous = now;
        return before is null || now is null ? null : CpuTimes.BusyCpus(before, now, mask);
    }
}
