namespace Nuggets.Core.Configuration;

/// <summary>
/// Where a config file may make the tool write. A config file comes with a dataset or a repository, possibly from
/// the internet; it must not be able to aim the tool's writes at the user's files. Paths are compared after
/// resolving symbolic links, so an <c>out</c> link pointing elsewhere counts as elsewhere.
/// </summary>
public static class ProjectBoundary
{
    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or inside it, links resolved.</summary>
    public static bool IsInside(string path, string root)
    {
        var resolvedRoot = RealPath(root).TrimEnd('/');
        var resolved = RealPath(path).TrimEnd('/');
        return resolved == resolvedRoot || resolved.StartsWith(resolvedRoot + "/", StringComparison.Ordinal);
    }

    /// <summary>
    /// The absolute path with every existing symbolic link along it replaced by its final target; components that
    /// do not exist yet are kept as written.
    /// </summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var resolved = "/";
        var remaining = new Queue<string>(full.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var hops = 0;
        while (remaining.Count > 0)
        {
            var candidate = Path.Combine(resolved, remaining.Dequeue());
            FileSystemInfo info = Directory.Exists(candidate) ? new DirectoryInfo(candidate) : new FileInfo(candidate);
            if (info.Exists && info.LinkTarget is { } target)
            {
                // A link loop would never end; 40 hops is the kernel's own limit (ELOOP).
                if (++hops > 40) throw new NuggetsException($"{full}: too many levels of symbolic links.", ExitCodes.Config);
                var targetPath = Path.GetFullPath(target, resolved);
                var rest = remaining.ToArray();
                remaining = new Queue<string>(targetPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                resolved = "/";
                continue;
            }
            resolved = candidate;
        }
        return resolved;
    }
}
