using System.Globalization;

namespace Nuggets.Core.Cpu;

/// <summary>The kernel's CPU list format (<c>0-3,8,10-11</c>), as in <c>Cpus_allowed_list</c> and <c>cpuset.cpus</c>.</summary>
internal static class CpuList
{
    /// <summary>The CPU numbers in <paramref name="text"/>, ascending; null when it is not a CPU list.</summary>
    public static IReadOnlyList<int>? Parse(string text)
    {
        var cpus = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-');
            if (dash < 0)
            {
                if (!TryCpu(part, out var cpu)) return null;
                cpus.Add(cpu);
            }
            else
            {
                if (!TryCpu(part[..dash], out var first) || !TryCpu(part[(dash + 1)..], out var last) || last < first) return null;
                for (var cpu = first; cpu <= last; cpu++) cpus.Add(cpu);
            }
        }
        return cpus.Count == 0 ? null : cpus.ToList();
    }

    // The kernel caps CPU numbers far below this; the bound keeps a damaged file from allocating a huge list.
    private static bool TryCpu(string text, out int cpu) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out cpu) && cpu < 65536;
}
