namespace Nuggets.Core.Cpu;

/// <summary>
/// Physical cores among a set of logical CPUs: distinct (package, core) pairs from each CPU's
/// /sys/devices/system/cpu/cpuN/topology, falling back to /proc/cpuinfo's <c>physical id</c> and <c>core id</c>.
/// Hyper-threads add nothing to ggml's matrix kernels, so only physical cores count as compute.
/// </summary>
internal static class PhysicalCores
{
    /// <summary>How many physical cores <paramref name="cpus"/> span; null when neither source knows every CPU.</summary>
    /// <param name="root">The file system root (<c>/</c>; a folder with proc/ and sys/ in tests).</param>
    /// <param name="cpus">Logical CPU numbers (the affinity mask).</param>
    public static int? Count(string root, IReadOnlyCollection<int> cpus) => FromSys(root, cpus) ?? FromCpuInfo(root, cpus);

    private static int? FromSys(string root, IReadOnlyCollection<int> cpus)
    {
        var cores = new HashSet<(string, string)>();
        foreach (var cpu in cpus)
        {
            var topology = Path.Combine(root, $"sys/devices/system/cpu/cpu{cpu}/topology");
            var package = SystemFile.Read(Path.Combine(topology, "physical_package_id"))?.Trim();
            var core = SystemFile.Read(Path.Combine(topology, "core_id"))?.Trim();
            if (package is null || core is null) return null;
            cores.Add((package, core));
        }
        return cores.Count == 0 ? null : cores.Count;
    }

    private static int? FromCpuInfo(string root, IReadOnlyCollection<int> cpus)
    {
        var text = SystemFile.Read(Path.Combine(root, "proc/cpuinfo"));
        if (text is null) return null;
        var wanted = cpus.ToHashSet();
        var cores = new HashSet<(string, string)>();
        var seen = 0;
        // One block per logical CPU, blank-line separated: "processor : 3", "physical id : 0", "core id : 1".
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? processor = null, package = "0", core = null;
            foreach (var line in block.Split('\n'))
            {
                var colon = line.IndexOf(':');
                if (colon < 0) continue;
                var (key, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
                if (key == "processor") processor = value;
                else if (key == "physical id") package = value;
                else if (key == "core id") core = value;
            }
            if (processor is null || !int.TryParse(processor, out var number) || !wanted.Contains(number)) continue;
            if (core is null) return null;
            cores.Add((package, core));
            seen++;
        }
        return seen == wanted.Count && cores.Count > 0 ? cores.Count : null;
    }
}
