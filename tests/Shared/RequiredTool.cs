namespace Nuggets.Testing;

/// <summary>
/// Where a test cannot run because something it needs is missing (Chromium, user namespaces, a Slurm cluster, a
/// validator, a packed package): ignored, with the reason, on a developer's machine; failed under <c>CI=true</c>,
/// where .ci/run installs everything the tests need, so no test quietly drops out of CI.
/// </summary>
internal static class RequiredTool
{
    /// <summary>True when the tests run in CI (<c>CI=true</c>, which .ci/run sets).</summary>
    public static bool InCi => Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>Ends the calling test or fixture: <see cref="Assert.Fail(string)"/> in CI, else <see cref="Assert.Ignore(string)"/>.</summary>
    public static void Missing(string reason)
    {
        if (InCi) Assert.Fail($"{reason} (CI=true: .ci/run installs what the tests need, so a missing tool fails the test)");
        Assert.Ignore(reason);
    }
}
