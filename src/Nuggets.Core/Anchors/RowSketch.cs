using System.Globalization;

namespace Nuggets.Core.Anchors;

/// <summary>
/// A bottom-k sketch of a set of rows: the <see cref="Size"/> smallest seeded priorities of their content hashes.
/// Two sketches estimate what share of one set is new to the other without keeping either set (KMV estimator);
/// below <see cref="Size"/> distinct rows the sketch is the whole set and the estimate is exact.
/// </summary>
public sealed class RowSketch
{
    /// <summary>Values kept: the estimate's standard error is about √(p(1−p)/Size), under 3.2 points at Size 256.</summary>
    public const int Size = 256;

    // A fixed seed: sketches made by different runs and configs must be comparable.
    private const int SketchSeed = 0x5ce7c4;
    private readonly SortedSet<ulong> _smallest = [];

    /// <summary>Adds a row by its content hash (duplicates count once).</summary>
    public void Add(string contentHash)
    {
        var value = SeededOrder.Priority(SketchSeed, contentHash);
        if (_smallest.Count < Size) _smallest.Add(value);
        else if (value < _smallest.Max && _smallest.Add(value)) _smallest.Remove(_smallest.Max);
    }

    /// <summary>The kept values as 16-digit hex, ascending, separated by spaces (the lock file's form: one line, not 256).</summary>
    public string ToText() => string.Join(' ', _smallest.Select(v => v.ToString("x16", CultureInfo.InvariantCulture)));

    /// <summary>Reads the form <see cref="ToText"/> writes.</summary>
    /// <exception cref="FormatException">A value is not 16 hex digits, or there are more than <see cref="Size"/>.</exception>
    public static RowSketch FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sketch = new RowSketch();
        var values = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (values.Length > Size) throw new FormatException($"a sketch holds at most {Size} values, not {values.Length}");
        foreach (var value in values)
        {
            if (value.Length != 16 || !ulong.TryParse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var parsed))
                throw new FormatException($"'{value}' is not a 16-digit hex sketch value");
            sketch._smallest.Add(parsed);
        }
        return sketch;
    }

    /// <summary>
    /// The estimated share of this sketch's rows that are not among <paramref name="earlier"/>'s rows, in [0, 1]. Among
    /// this sketch's values no larger than the largest value <paramref name="earlier"/> kept, membership is known exactly
    /// (a member would be among its smallest); the share of those that are missing estimates the share of new rows.
    /// </summary>
    public double NewShareAgainst(RowSketch earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (_smallest.Count == 0) return 0;
        if (earlier._smallest.Count == 0) return 1;
        var known = earlier._smallest.Count < Size ? ulong.MaxValue : earlier._smallest.Max;
        var comparable = _smallest.Where(v => v <= known).ToArray();
        // None comparable: even this set's smallest rows are beyond everything the earlier set kept, so nearly all are new.
        if (comparable.Length == 0) return 1;
        return (double)comparable.Count(v => !earlier._smallest.Contains(v)) / comparable.Length;
    }
}
