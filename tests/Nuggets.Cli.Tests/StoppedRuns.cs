using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Nuggets.Core;

namespace Nuggets.Cli.Tests;

/// <summary>What a stopped run reported it kept in the cache, parsed from its error line.</summary>
internal sealed partial record KeptWork(long ZeroShotSums, long Pairs, long Generations, long Embeddings)
{
    public static KeptWork Parse(string errorLine) => new(
        Count(errorLine, "zero-shot sum"), Count(errorLine, "pair"), Count(errorLine, "stage generation"), Count(errorLine, "stage embedding"));

    private static long Count(string line, string what) =>
        Regex.Match(line, $@"(?<n>[\d,]+) {Regex.Escape(what)}s?\b") is { Success: true } m ? long.Parse(m.Groups["n"].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) : 0;
}

/// <summary>Checks shared by the signal tests: how a stopped run must end, and what it must leave behind.</summary>
internal static class StoppedRuns
{
    /// <summary>Every file and folder under <paramref name="folder"/> (hidden ones included), each file with the SHA-256 of its bytes.</summary>
    public static SortedDictionary<string, string> Snapshot(string folder)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(folder, path);
            entries[relative] = Directory.Exists(path) ? "folder" : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        }
        return entries;
    }

    public static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var folder in Directory.GetDirectories(from)) CopyTree(folder, Path.Combine(to, Path.GetFileName(folder)));
    }

    /// <summary>The exit code a signal must end a run with: 130 for SIGINT, 143 for SIGTERM.</summary>
    public static int ExitCodeFor(int signal) => signal == SignalRunner.SigTerm ? ExitCodes.Terminated : ExitCodes.Cancelled;

    public static string NameOf(int signal) => signal == SignalRunner.SigTerm ? "SIGTERM" : "SIGINT";

    /// <summary>
    /// The run ended with the signal's exit code and one error line that says it stopped during <paramref name="phase"/>;
    /// returns what that line says the cache kept.
    /// </summary>
    public static KeptWork AssertStopped(SignalledRun run, int signal, string phase, string outputDirectory)
    {
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodeFor(signal)), run.ToString());
        Assert.That(run.SignalsSent, Is.EqualTo(1), run.ToString());
        Assert.That(run.StdErrLines, Has.Some.EqualTo($"nuggets: {NameOf(signal)} received; stopping at the next safe point (a second signal exits at once)."), run.ToString());
        Assert.That(run.Errors, Has.Count.EqualTo(1), run.ToString());
        Assert.That(run.Errors[0], Does.StartWith($"error: stopped by {NameOf(signal)} during {phase}. ")
            .And.EndWith($"The previous outputs in {outputDirectory} are untouched."), run.ToString());
        return KeptWork.Parse(run.Errors[0]);
    }
}
