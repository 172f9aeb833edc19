using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Nuggets.Core.Configuration;

/// <summary>
/// Binds configuration onto <see cref="NuggetsOptions"/> by reflection over its properties, so the options
/// classes are the one list of keys: a key that is not a property is an error with a "did you mean", and a
/// value that does not convert names its key and the expected kind of value.
/// </summary>
internal static class ConfigBinder
{
    private static readonly HashSet<string> IgnoredKeys = new(StringComparer.OrdinalIgnoreCase) { "$schema" };

    public static NuggetsOptions Bind(IConfiguration configuration, string source)
    {
        var options = new NuggetsOptions();
        BindObject(options, configuration, "", source, KnownKeys());
        return options;
    }

    /// <summary>Every settable key as a dotted camelCase path (e.g. <c>model.threads</c>), for docs, schema checks and suggestions.</summary>
    public static IReadOnlyList<string> KnownKeys(Type? type = null, string prefix = "") => KnownSettings(type, prefix).Select(s => s.Key).ToList();

    /// <summary>Every settable key with its value type (<c>int</c>, <c>string</c>, <c>List&lt;string&gt;</c>, …).</summary>
    public static IReadOnlyList<(string Key, Type Type)> KnownSettings(Type? type = null, string prefix = "")
    {
        var settings = new List<(string, Type)>();
        foreach (var property in Settable(type ?? typeof(NuggetsOptions)))
        {
            var key = prefix + CamelCase(property.Name);
            if (IsSection(property.PropertyType)) settings.AddRange(KnownSettings(property.PropertyType, key + "."));
            else if (property.PropertyType == typeof(List<StageOptions>)) settings.AddRange(StageSettings(key));
            else settings.Add((key, property.PropertyType));
        }
        return settings;
    }

    /// <summary>
    /// The keys of a stage list: <c>stages[].type</c>, then each kind's own settings as <c>stages[kind].key</c>, since
    /// which settings an entry takes depends on its type.
    /// </summary>
    private static IEnumerable<(string Key, Type Type)> StageSettings(string key)
    {
        yield return (key + "[].type", typeof(string));
        foreach (var (name, type) in StageTypes.All)
        {
            foreach (var setting in KnownSettings(type, $"{key}[{name}].").Where(s => !s.Key.EndsWith(".type", StringComparison.Ordinal)))
                yield return setting;
        }
    }

    private static List<StageOptions> BindStages(IConfigurationSection section, string path, string source)
    {
        var items = section.GetChildren().ToList();
        // An empty JSON array arrives as an empty string value without children.
        if (items.Count == 0 && string.IsNullOrEmpty(section.Value)) return [];
        if (section.Value is not null || items.Any(i => !int.TryParse(i.Key, out _)))
            throw new NuggetsException($"{source}: '{path}' must be a list of stages, e.g. [{{ \"type\": \"dedupe\" }}].", ExitCodes.Config);

        var stages = new List<StageOptions>();
        foreach (var item in items.OrderBy(i => int.Parse(i.Key, CultureInfo.InvariantCulture)))
        {
            var at = $"{path}[{stages.Count}]";
            if (item.Value is not null)
                throw new NuggetsException($"{source}: '{at}' must be an object with a 'type', not a value.", ExitCodes.Config);
            var kinds = string.Join(", ", StageTypes.All.Select(t => t.Name));
            var type = item["type"];
            if (string.IsNullOrEmpty(type))
                throw new NuggetsException($"{source}: '{at}.type' is not set: one of {kinds}.", ExitCodes.Config);
            var stage = StageTypes.Create(type)
                ?? throw new NuggetsException($"{source}: '{at}.type' is '{type}', but must be one of: {kinds}.", ExitCodes.Config);
            BindObject(stage, item, at + ".", source, KnownKeys(stage.GetType(), at + "."));
            stages.Add(stage);
        }
        return stages;
    }

    private static void BindObject(object target, IConfiguration section, string prefix, string source, IReadOnlyList<string> knownKeys)
    {
        var properties = Settable(target.GetType()).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (prefix.Length == 0 && IgnoredKeys.Contains(child.Key)) continue;
            if (!properties.TryGetValue(child.Key, out var property))
                throw new NuggetsException($"{source}: unknown setting '{prefix + child.Key}'.{Suggest(prefix + child.Key, knownKeys)}", ExitCodes.Config);
            // Named as documented (camelCase), not as spelled by the source: environment variables arrive upper-case.
            var path = prefix + CamelCase(property.Name);

            var type = property.PropertyType;
            if (IsSection(type))
            {
                if (child.Value is not null)
                    throw new NuggetsException($"{source}: '{path}' must be an object with settings, not a value.", ExitCodes.Config);
                BindObject(property.GetValue(target)!, child, path + ".", source, knownKeys);
            }
            else if (type == typeof(List<StageOptions>))
            {
                property.SetValue(target, BindStages(child, path, source));
            }
            else if (type == typeof(List<string>))
            {
                property.SetValue(target, child.Value is not null
                    ? [child.Value] // a single string where a list is expected is taken as a one-item list
                    : child.GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue).Select(c => ScalarOrFail(c, path, source)).ToList());
            }
            else
            {
                // JSON objects and arrays arrive as sections with children and no value: never a scalar.
                if (child.Value is null && child.GetChildren().Any())
                    throw new NuggetsException($"{source}: '{path}' must be {Describe(type)}, not an object or a list.", ExitCodes.Config);
                property.SetValue(target, Convert(child.Value, type, IsOptional(property), path, source));
            }
        }
    }

    private static string ScalarOrFail(IConfigurationSection item, string path, string source) =>
        item.Value ?? throw new NuggetsException($"{source}: '{path}' must be a list of strings.", ExitCodes.Config);

    private static object? Convert(string? value, Type type, bool optional, string path, string source)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (string.IsNullOrEmpty(value))
        {
            if (optional) return null;
            throw new NuggetsException($"{source}: '{path}' needs a value ({Describe(type)}).", ExitCodes.Config);
        }
        var target = nullable ?? type;
        object? converted = target switch
        {
            _ when target == typeof(string) => value,
            _ when target == typeof(int) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            _ when target == typeof(long) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null,
            _ when target == typeof(double) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null,
            _ when target == typeof(bool) => bool.TryParse(value, out var b) ? b : null,
            _ when target == typeof(ThreadCount) => ThreadCount.TryParse(value, out var t) ? t : null,
            // Modes become enums here, at the edge, so no code behind it can see a mode that is not one of them.
            _ when target.IsEnum => Spelling.TryParse(target, value, out var mode) ? mode : null,
            _ => throw new InvalidOperationException($"No conversion for {target} ({path})."),
        };
        return converted ?? throw new NuggetsException($"{source}: '{path}' is '{value}', but must be {Describe(type)}.", ExitCodes.Config);
    }

    private static string Describe(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target == typeof(int) || target == typeof(long) ? "a whole number"
            : target == typeof(double) ? "a number"
            : target == typeof(bool) ? "true or false"
            : target == typeof(ThreadCount) ? ThreadCount.Allowed
            : target.IsEnum ? "one of: " + string.Join(", ", Spelling.Names(target))
            : "a string";
    }

    private static string Suggest(string path, IReadOnlyList<string> knownKeys)
    {
        var best = knownKeys
            .Select(k => (Key: k, Distance: Levenshtein(k.ToLowerInvariant(), path.ToLowerInvariant())))
            .OrderBy(k => k.Distance)
            .First();
        return best.Distance <= Math.Max(2, path.Length / 3)
            ? $" Did you mean '{best.Key}'?"
            : $" Known settings: {string.Join(", ", knownKeys)}.";
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    /// <summary>Settable to nothing: a nullable value type or a string declared <c>string?</c>.</summary>
    private static bool IsOptional(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null
        || (property.PropertyType == typeof(string) && Nullability.Create(property).WriteState == NullabilityState.Nullable);

    private static readonly NullabilityInfoContext Nullability = new();

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    private static bool IsSection(Type type) => type.IsClass && type != typeof(string) && type != typeof(List<string>) && type != typeof(List<StageOptions>);

    private static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
