namespace Nuggets.Llama;

/// <summary>How many threads llama.cpp should use.</summary>
public static class CpuTopology
{
    /// <summary>
    /// Physical cores (distinct physical id / core id pairs in /proc/cpuinfo), falling back to the logical count.
    /// llama.cpp's default of 4 threads on a 2-core machine oversubscribes it and decodes ~20× slower; hyper-threads
    /// add nothing to its matrix kernels, so physical cores is the right default.
    /// </summary>
    public static int PhysicalCores { get; } = CountPhysicalCores();

    private static int CountPhysicalCores()
    {
        var logical = Environment.ProcessorCount;
        try
        {
            var cores = new HashSet<(string, string)>();
            string physical = "0", core = "";
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var colon = line.IndexOf(':');
                if (colon < 0)
                {
                    if (core.Length > 0) cores.Add((physical, core));
                    physical = "0";
                    core = "";
                    continue;
                }
                var key = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (key == "physical id") physical = value;
                else if (key == "core id") core = value;
            }
            if (core.Length > 0) cores.Add((physical, core));
            // A container may see fewer CPUs than the host has cores; never exceed what we may run on.
            return cores.Count == 0 ? logical : Math.Clamp(cores.Count, 1, logical);
        }
        catch (IOException)
        {
            return logical;
        }
        catch (UnauthorizedAccessException)
        {
            return logical;
        }
    }
}
