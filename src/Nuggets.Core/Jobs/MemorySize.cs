using System.Globalization;

namespace Nuggets.Core.Jobs;

/// <summary>Memory sizes as schedulers write them (<c>512M</c>, <c>16G</c>, <c>16Gi</c>, <c>1T</c>).</summary>
public static class MemorySize
{
    /// <summary>Parses <paramref name="text"/> into MiB: a whole number with a unit M, G or T (optionally followed by <c>i</c> or <c>B</c>); no unit means MiB, as in Slurm.</summary>
    /// <exception cref="NuggetsException">Not such a size, or less than 1 MiB (exit code Usage), naming <paramref name="setting"/>.</exception>
    public static long ParseMiB(string text, string setting)
    {
        var trimmed = text.Trim();
        var digits = trimmed.TakeWhile(char.IsAsciiDigit).Count();
        var unit = trimmed[digits..].TrimEnd('B', 'b').TrimEnd('i').ToUpperInvariant();
        long? factor = unit switch { "" or "M" => 1, "G" => 1024, "T" => 1024 * 1024, _ => null };
        if (digits == 0 || factor is null || !long.TryParse(trimmed[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || count > long.MaxValue / factor)
            throw new NuggetsException($"{setting} '{text}' must be a size such as 512M, 16G or 16Gi.", ExitCodes.Usage);
        return count * factor.Value;
    }
}
