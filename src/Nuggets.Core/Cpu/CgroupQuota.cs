using System.Globalization;

namespace Nuggets.Core.Cpu;

/// <summary>
/// The CPU quota of this process's cgroup, in CPUs: cgroup v2 <c>cpu.max</c> or v1 <c>cpu.cfs_quota_us</c> /
/// <c>cpu.cfs_period_us</c>, the smallest along the path up to the mount's root (a parent's quota limits its children).
/// </summary>
internal static class CgroupQuota
{
    /// <summary>The quota in CPUs, or null when there is none (or no cgroup files can be read).</summary>
    /// <param name="root">The file system root (<c>/</c>; a folder with proc/ and sys/ in tests).</param>
    public static double? Read(string root)
    {
        var membership = SystemFile.Read(Path.Combine(root, "proc/self/cgroup"));
        if (membership is null) return null;
        var mounts = Path.Combine(root, "sys/fs/cgroup");
        double? quota = null;
        foreach (var line in membership.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // hierarchy-id:controllers:path; v2 is "0::path", v1 lists its controllers ("cpu,cpuacct").
            var fields = line.Split(':', 3);
            if (fields.Length != 3) continue;
            var controllers = fields[1].Split(',');
            if (fields[0] == "0" && fields[1].Length == 0)
                quota = Min(quota, Walk(UnifiedMount(mounts), fields[2], V2));
            else if (controllers.Contains("cpu"))
                quota = Min(quota, Walk(Path.Combine(mounts, fields[1]), fields[2], V1) ?? Walk(Path.Combine(mounts, "cpu"), fields[2], V1));
        }
        return quota;
    }

    /// <summary><c>cpu.max</c>: <c>max 100000</c> (none) or <c>150000 100000</c> (1.5 CPUs).</summary>
    public static double? ParseCpuMax(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length < 1 || parts[0] == "max") return null;
        var period = parts.Length > 1 ? parts[1] : "100000";
        return Ratio(parts[0], period);
    }

    /// <summary>v1: <c>cpu.cfs_quota_us</c> (-1 = none) over <c>cpu.cfs_period_us</c>.</summary>
    public static double? ParseCfs(string quota, string period) => quota.Trim() == "-1" ? null : Ratio(quota, period);

    private static double? Ratio(string quota, string period) =>
        long.TryParse(quota.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var q)
        && long.TryParse(period.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && q > 0 && p > 0
            ? (double)q / p
            : null;

    // On a v2-only machine /sys/fs/cgroup is the unified mount; on a hybrid one it sits at /sys/fs/cgroup/unified.
    private static string UnifiedMount(string mounts) =>
        File.Exists(Path.Combine(mounts, "cgroup.controllers")) ? mounts : Path.Combine(mounts, "unified");

    private static double? V2(string folder) => SystemFile.Read(Path.Combine(folder, "cpu.max")) is { } max ? ParseCpuMax(max) : null;

    private static double? V1(string folder) =>
        SystemFile.Read(Path.Combine(folder, "cpu.cfs_quota_us")) is { } quota && SystemFile.Read(Path.Combine(folder, "cpu.cfs_period_us")) is { } period
            ? ParseCfs(quota, period)
            : null;

    /// <summary>
    /// The smallest quota from the cgroup's folder up to the mount. Inside a container the mount is usually the
    /// container's own cgroup while /proc/self/cgroup names the host's path, which is then not found below the mount:
    /// the mount's own files are the container's.
    /// </summary>
    private static double? Walk(string mount, string cgroupPath, Func<string, double?> read)
    {
        if (!Directory.Exists(mount)) return null;
        var mountFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(mount));
        var folder = Path.GetFullPath(Path.Combine(mountFull, cgroupPath.TrimStart('/')));
        if (!Directory.Exists(folder) || !folder.StartsWith(mountFull, StringComparison.Ordinal)) folder = mountFull;
        double? quota = null;
        while (true)
        {
            quota = Min(quota, read(folder));
            if (folder.Length <= mountFull.Length) return quota;
            folder = Path.GetDirectoryName(folder)!;
        }
    }

    private static double? Min(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
