using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Nuggets.Core.Configuration;

/// <summary>
/// The user-facing spelling of a mode enum (<see cref="SelectionMode"/>, <see cref="Scoring.BosPolicy"/>, <see cref="AnchorMethod"/>,
/// <see cref="Data.DatasetFormat"/>, <see cref="Data.OutputFormat"/>, …): the name in each member's
/// <see cref="JsonStringEnumMemberNameAttribute"/>. That attribute is the one mapping between a mode and its text: the
/// configuration edge parses with it, and manifests (through <see cref="JsonStringEnumConverter{TEnum}"/>) and cache
/// fingerprints write with it, so every file keeps the spelling users type in JSON, <c>--set</c> and the environment.
/// </summary>
public static class Spelling
{
    private static readonly ConcurrentDictionary<Type, (object Value, string Name)[]> Tables = new();

    /// <summary>The spelling of <paramref name="value"/>, e.g. <c>topPercent</c> for <see cref="SelectionMode.TopPercent"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a declared member.</exception>
    public static string Of<T>(T value) where T : struct, Enum
    {
        foreach (var (member, name) in Table(typeof(T)))
        {
            if (EqualityComparer<T>.Default.Equals((T)member, value)) return name;
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, $"not a declared {typeof(T).Name}");
    }

    /// <summary>Every spelling of <paramref name="enumType"/>, in declaration order (the order error messages list them in).</summary>
    public static IReadOnlyList<string> Names(Type enumType) => Table(enumType).Select(t => t.Name).ToArray();

    /// <summary>Parses <paramref name="text"/> as exactly one of the spellings (case-sensitive, as the docs write them).</summary>
    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        var found = TryParse(typeof(T), text, out var boxed);
        value = found ? (T)boxed! : default;
        return found;
    }

    /// <summary>Parses <paramref name="text"/> as one of the spellings of <paramref name="enumType"/>.</summary>
    internal static bool TryParse(Type enumType, string text, out object? value)
    {
        foreach (var (member, name) in Table(enumType))
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                value = member;
                return true;
            }
        }
        value = null;
        return false;
    }

    private static (object Value, string Name)[] Table(Type enumType) => Tables.GetOrAdd(enumType, static type =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken) // declaration order
            .Select(f => (f.GetValue(null)!, f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? throw new InvalidOperationException($"{type.Name}.{f.Name} has no [JsonStringEnumMemberName]: every mode spells itself once.")))
            .ToArray());
}
