using Nuggets.Core.Pipeline;

namespace Nuggets.Cli.Signals;

/// <summary>
/// <c>NUGGETS_TEST_PAUSE_AT=point[#n]</c>, for tests only: holds the run at a named point and says so on stderr, so a
/// test can deliver a signal in any phase on an event instead of guessing a time (the tiny test model finishes most
/// phases in milliseconds). Unset, it does nothing. Points:
/// <list type="bullet">
/// <item>a phase — <c>anchors</c>, <c>embeddings</c> (k-means anchors), <c>zero-shot</c>, <c>scoring</c>, <c>writing</c>,
/// or a stage's type (<c>expand</c>, <c>dedupe</c>, <c>diversity</c>, <c>judge</c>): the phase's n-th progress report
/// (#1, the default, is its start; later ones follow its cache commits and files). The run prints
/// <c>nuggets: test: paused at point#n</c> and waits until a stop is requested, then goes on to its next safe point.</item>
/// <item>a cache write — <c>pairs-commit</c>, <c>zero-shot-commit</c>, <c>generations-commit</c>,
/// <c>embeddings-commit</c>: the n-th such transaction, after its rows are in and before COMMIT. It prints
/// <c>nuggets: test: holding at point#n</c> and never goes on, like a native call that does not return, so only a second
/// signal (an immediate exit) ends the process there, with the transaction in flight.</item>
/// </list>
/// </summary>
internal sealed class TestPause
{
    /// <summary>The environment variable.</summary>
    public const string Variable = "NUGGETS_TEST_PAUSE_AT";

    private const string CommitSuffix = "-commit";

    private readonly string point;
    private readonly int occurrence;
    private readonly CancellationToken stop;
    private readonly Dictionary<string, int> seen = new(StringComparer.Ordinal);

    private TestPause(string point, int occurrence, CancellationToken stop) => (this.point, this.occurrence, this.stop) = (point, occurrence, stop);

    /// <summary>The pause the environment asks for, or null (the normal case).</summary>
    public static TestPause? FromEnvironment(CancellationToken stop)
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value)) return null;
        var parts = value.Trim().Split('#', 2);
        var occurrence = parts.Length == 2 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : 1;
        return new TestPause(parts[0], occurrence, stop);
    }

    /// <summary>Progress that pauses after <paramref name="inner"/> has shown the report (the line that names the point comes first).</summary>
    public IProgress<PipelineProgress> Around(IProgress<PipelineProgress>? inner) => new Reports(this, inner);

    /// <summary>The hook for <c>ScoreCacheOptions.BeforeCommit</c>.</summary>
    public void BeforeCommit(string written)
    {
        if (!Reached(written + CommitSuffix)) return;
        Console.Error.WriteLine($"nuggets: test: holding at {point}#{occurrence}");
        Thread.Sleep(Timeout.Infinite);
    }

    private void AtReport(PipelineProgress report)
    {
        if (point.EndsWith(CommitSuffix, StringComparison.Ordinal) || !Reached(PhaseOf(report.Stage))) return;
        Console.Error.WriteLine($"nuggets: test: paused at {point}#{occurrence}");
        stop.WaitHandle.WaitOne();
    }

    private bool Reached(string name)
    {
        if (name != point) return false;
        lock (seen)
        {
            seen[name] = seen.GetValueOrDefault(name) + 1;
            return seen[name] == occurrence;
        }
    }

    // "stage 2/4: dedupe" is the dedupe phase.
    private static string PhaseOf(string stage) => stage.StartsWith("stage ", StringComparison.Ordinal) && stage.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon
        ? stage[(colon + 2)..]
        : stage;

    private sealed class Reports(TestPause pause, IProgress<PipelineProgress>? inner) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value)
        {
            inner?.Report(value);
            pause.AtReport(value);
        }
    }
}
