using System.Text.RegularExpressions;
using Nuggets.Core;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Cache;

/// <summary>
/// A DuckDB file is single-writer: a second process gets DuckDB's IO error "Could not set lock on file … Conflicting
/// lock is held in &lt;program&gt; (PID n) …". This turns it into a message that says who holds the cache.
/// </summary>
internal static partial class CacheLock
{
    public static bool IsLockError(DuckDbException e) =>
        e.Message.Contains("Could not set lock", StringComparison.Ordinal) ||
        e.Message.Contains("Conflicting lock", StringComparison.Ordinal);

    /// <summary>The holder's process id from DuckDB's message, when it gives one.</summary>
    public static int? HolderPid(string message) =>
        PidPattern().Match(message) is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public static NuggetsException InUse(string path, int? pid, Exception? inner = null)
    {
        var who = pid is { } n ? $"process {n}" : "another process";
        return new NuggetsException(
            $"Score cache {path} is in use by {who}. Wait for it to finish, or set 'cache.wait': true (--set cache.wait=true) to wait for it.",
            ExitCodes.CacheLocked, inner);
    }

    [GeneratedRegex(@"\(PID (\d+)\)")]
    private static partial Regex PidPattern();
}
