using System.Globalization;

namespace Nuggets.Core.Cpu;

/// <summary>
/// A test hook: <c>NUGGETS_TEST_AUTO_THREADS=1,2,2</c> makes <c>auto</c> want these counts in turn (cycling), one per
/// check, with a check before every engine call, instead of following the load. It lets a test change the count
/// mid-run on any machine, to show that the scores do not change. Not for users: it ignores the machine.
/// </summary>
public static class ThreadScript
{
    /// <summary>The environment variable.</summary>
    public const string Variable = "NUGGETS_TEST_AUTO_THREADS";

    /// <summary>The script in <see cref="Variable"/>, or null when it is not set.</summary>
    /// <exception cref="NuggetsException">It is set but is not a list of whole numbers of at least 1.</exception>
    public static Func<int?>? FromEnvironment() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text ? Parse(text) : null;

    /// <summary>A function that returns the counts of <paramref name="text"/> in turn, cycling.</summary>
    /// <exception cref="NuggetsException"><paramref name="text"/> is not a list of whole numbers of at least 1.</exception>
    public static Func<int?> Parse(string text)
    {
        var counts = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
                throw new NuggetsException($"{Variable} is '{text}', but must be thread counts of at least 1 separated by commas.", ExitCodes.Config);
            counts.Add(count);
        }
        var next = -1;
        return () => counts[next = (next + 1) % counts.Count];
    }
}
