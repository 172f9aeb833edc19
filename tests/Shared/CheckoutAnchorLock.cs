using System.Diagnostics;

namespace Nuggets.Testing;

/// <summary>
/// The repository's nuggets.config.json pins the quick start's anchors in nuggets.anchors.lock.json beside it. A test
/// that runs the tool with that config on its own data would move that lock (and race other tests for it), so its
/// lock goes to the run's working folder instead, through the setting's environment variable.
/// </summary>
internal static class CheckoutAnchorLock
{
    /// <summary>The environment variable that sets <c>anchors.lockFile</c>.</summary>
    public const string Variable = "NUGGETS__ANCHORS__LOCKFILE";

    /// <summary>Points the lock of a run with the repository's config at its working folder, unless the test chose one.</summary>
    public static void KeepOutOfCheckout(ProcessStartInfo start)
    {
        var repoConfig = Path.Combine(TestPaths.RepoRoot, "nuggets.config.json");
        var usesRepoConfig = start.ArgumentList.Contains(repoConfig)
            || (start.Environment.TryGetValue("NUGGETS_CONFIG", out var config) && config == repoConfig);
        if (usesRepoConfig && !start.Environment.ContainsKey(Variable))
            start.Environment[Variable] = Path.Combine(start.WorkingDirectory, "nuggets.anchors.lock.json");
    }
}
