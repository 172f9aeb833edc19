namespace Nuggets.Testing;

/// <summary>
/// Tests run llama.cpp on one thread. Its compute threads spin while they wait for each other, so with two of them on
/// a busy machine (CI runs the test assemblies side by side) a run can be many times slower; one thread is as fast
/// alone and never spins. No sum depends on the thread count — LayoutInvarianceTests and the variant host vary it on
/// purpose — so nothing is lost.
/// </summary>
internal static class OneThread
{
    /// <summary>The environment variable that sets <c>model.threads</c> for a run of the tool.</summary>
    public const string Variable = "NUGGETS__MODEL__THREADS";

    /// <summary>Its value. A run's own <c>--threads</c> or <c>--set model.threads</c> still wins.</summary>
    public const string Value = "1";
}
