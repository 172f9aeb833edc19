using System.Globalization;

namespace Nuggets.Core.Configuration;

/// <summary>
/// <c>model.threads</c>: <c>auto</c> (chosen per run from what this machine can give, see
/// <see cref="Cpu.ThreadPolicy"/>) or a fixed number of at least 1. The default value is <see cref="Auto"/>.
/// </summary>
public readonly record struct ThreadCount
{
    private readonly int count;

    private ThreadCount(int count) => this.count = count;

    /// <summary>Chosen at each run from the CPUs allowed and how busy they are.</summary>
    public static ThreadCount Auto => default;

    /// <summary>Exactly <paramref name="count"/> threads.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static ThreadCount Fixed(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return new ThreadCount(count);
    }

    /// <summary>True for <c>auto</c>.</summary>
    public bool IsAuto => count == 0;

    /// <summary>The fixed count, or null for <c>auto</c>.</summary>
    public int? Count => IsAuto ? null : count;

    /// <summary>What every message about a bad value says is allowed.</summary>
    public const string Allowed = "'auto' or a whole number of at least 1";

    /// <summary>Reads <c>auto</c> (any case) or a positive whole number; anything else (0, -1, "many") is false.</summary>
    public static bool TryParse(string? text, out ThreadCount value)
    {
        value = Auto;
        var trimmed = text?.Trim();
        if (string.Equals(trimmed, "auto", StringComparison.OrdinalIgnoreCase)) return true;
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
        {
            value = new ThreadCount(n);
            return true;
        }
        return false;
    }

    /// <summary><c>auto</c> or the number, as written in a config file.</summary>
    public override string ToString() => IsAuto ? "auto" : count.ToString(CultureInfo.InvariantCulture);
}
