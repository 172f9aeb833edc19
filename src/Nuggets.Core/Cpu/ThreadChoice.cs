namespace Nuggets.Core.Cpu;

/// <summary>The compute threads a run uses, and why.</summary>
/// <param name="Threads">Threads given to llama.cpp (at least 1).</param>
/// <param name="Rule"><c>auto</c> (chosen from the machine) or <c>set</c> (a number in <c>model.threads</c>): stable between reruns.</param>
/// <param name="Reason">
/// The figures behind it, e.g. <c>auto: 2 CPUs allowed by affinity (2 physical cores), cgroup quota none, 0.1 CPUs busy…</c>.
/// It holds load figures, so it goes to the console and <c>doctor</c>, not into the manifest.
/// </param>
public sealed record ThreadChoice(int Threads, string Rule, string Reason)
{
    /// <summary>The rule of a count chosen from the machine.</summary>
    public const string AutoRule = "auto";

    /// <summary>The rule of a count the user set.</summary>
    public const string SetRule = "set";

    /// <summary>E.g. <c>2 threads (auto: …)</c>.</summary>
    public override string ToString() => $"{Threads} thread{(Threads == 1 ? "" : "s")} ({Reason})";

    /// <summary>
    /// What the run used: <see cref="ToString()"/> when the count held, else e.g.
    /// <c>1-2 threads, adapted to load (3 changes), started with 2 (auto: …)</c>.
    /// </summary>
    /// <param name="during">The counts <see cref="ThreadGovernor"/> went through; null when none followed the load.</param>
    public string Describe(ThreadRange? during) =>
        during is { Changes: > 0 } range
            ? $"{range.Lowest}-{range.Highest} threads, adapted to load ({range.Changes} change{(range.Changes == 1 ? "" : "s")}), started with {Threads} ({Reason})"
            : ToString();
}
