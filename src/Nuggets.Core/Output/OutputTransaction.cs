namespace Nuggets.Core.Output;

/// <summary>
/// Writes a run's output files as one unit: every file is first written under a temporary name in its own folder
/// (same filesystem, so the final rename cannot run out of space), and only when all of them were written are they
/// renamed into place, the manifest last. A failure before <see cref="Commit"/> — a full disk, a read-only folder, a
/// data error — leaves the previous outputs exactly as they were and removes the temporary files.
/// </summary>
public sealed class OutputTransaction : IDisposable
{
    private readonly List<(string Staged, string Final)> files = [];
    private bool committed;

    /// <summary>
    /// Removes files staged by runs that no longer exist (a SIGKILL or power loss gives no chance to clean up), so
    /// they do not pile up in the output folder. Files of a process that is still running are left alone.
    /// </summary>
    public static void RemoveStale(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, ".*"))
        {
            var match = StaleName.Match(Path.GetFileName(entry));
            if (!match.Success || IsRunning(int.Parse(match.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture))) continue;
            try
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for a later run; it is never read.
            }
        }
    }

    // Staged files (".selected.parquet.1234.staged", plus whatever a writer appends for its own temporary file) and
    // the LIFT stages' work folder (".stages.1234.tmp").
    private static readonly System.Text.RegularExpressions.Regex StaleName =
        new(@"^(\..+?\.(?<pid>\d{1,9})\.staged(\..*)?|\.stages\.(?<pid>\d{1,9})\.tmp)$");

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Returns the temporary path to write <paramref name="finalPath"/>'s content to.</summary>
    public string Stage(string finalPath)
    {
        var folder = Path.GetDirectoryName(finalPath)!;
        var staged = Path.Combine(folder, $".{Path.GetFileName(finalPath)}.{Environment.ProcessId}.staged");
        files.Add((staged, finalPath));
        return staged;
    }

    /// <summary>Takes <paramref name="finalPath"/> out of the transaction again, removing whatever was staged for it.</summary>
    public void Unstage(string finalPath)
    {
        foreach (var file in files.Where(f => f.Final == finalPath).ToArray())
        {
            files.Remove(file);
            try
            {
                File.Delete(file.Staged);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // It could not be written in the first place; nothing is left to remove.
            }
        }
    }

    /// <summary>The temporary path staged for <paramref name="finalPath"/>.</summary>
    /// <exception cref="InvalidOperationException">Nothing was staged for that path.</exception>
    public string StagedPathOf(string finalPath) =>
        files.FirstOrDefault(f => f.Final == finalPath).Staged ?? throw new InvalidOperationException($"{finalPath} was not staged.");

    /// <summary>Renames every staged file into place, in the order staged.</summary>
    /// <exception cref="NuggetsException">A rename failed (exit code OutputError).</exception>
    public void Commit()
    {
        foreach (var (staged, final) in files)
        {
            try
            {
                File.Move(staged, final, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new NuggetsException($"Cannot write {final}: {e.Message}", ExitCodes.OutputError, e);
            }
        }
        committed = true;
    }

    /// <summary>Removes staged files that were not committed.</summary>
    public void Dispose()
    {
        if (committed) return;
        foreach (var (staged, _) in files)
        {
            try
            {
                File.Delete(staged);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: the original error is the one worth reporting.
            }
        }
    }
}
