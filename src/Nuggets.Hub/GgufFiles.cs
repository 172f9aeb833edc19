using System.Globalization;
using System.Text.RegularExpressions;
using Nuggets.Core;

namespace Nuggets.Hub;

/// <summary>One GGUF model in a repository: a single file, or the parts of a split file in order.</summary>
/// <param name="Name">Its name for messages: the file, or <c>stem-*-of-0000N.gguf</c> for a split one.</param>
/// <param name="Parts">Its files; llama.cpp is pointed at the first and finds the others beside it.</param>
public sealed record GgufModel(string Name, IReadOnlyList<string> Parts);

/// <summary>
/// Picks the GGUF model a reference means from a repository's files: the one of a quantisation (<c>:Q4_K_M</c>), the
/// only one, or every part of a split file (<c>-00001-of-00003.gguf</c>). Pure: the listing comes from the Hub or the cache.
/// </summary>
public static partial class GgufFiles
{
    /// <summary>The GGUF models among <paramref name="paths"/>: split parts grouped, vision projectors (mmproj) left out.</summary>
    public static IReadOnlyList<GgufModel> Models(IEnumerable<string> paths)
    {
        var models = new List<GgufModel>();
        var splits = new Dictionary<string, SortedDictionary<int, string>>(StringComparer.Ordinal);
        foreach (var path in paths.Where(p => p.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            // A multimodal projector is a companion of a model, never the model to score with.
            if (FileName(path).Contains("mmproj", StringComparison.OrdinalIgnoreCase)) continue;
            if (Split().Match(path) is { Success: true } split)
            {
                var key = $"{split.Groups["stem"].Value}-*-of-{split.Groups["count"].Value}.gguf";
                if (!splits.TryGetValue(key, out var parts)) splits[key] = parts = [];
                parts[int.Parse(split.Groups["part"].Value, CultureInfo.InvariantCulture)] = path;
            }
            else
            {
                models.Add(new GgufModel(path, [path]));
            }
        }
        models.AddRange(splits.Select(s => new GgufModel(s.Key, s.Value.Values.ToArray())));
        return models.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The model <paramref name="quant"/> names among <paramref name="paths"/> (the only model when <paramref name="quant"/> is null).
    /// </summary>
    /// <exception cref="NuggetsException">
    /// None matches (HubNotFound) or several do (Config); the message lists the quantisations or models there are.
    /// </exception>
    public static GgufModel Pick(IEnumerable<string> paths, string? quant, string where)
    {
        var models = Models(paths);
        var matching = quant is null ? models : models.Where(m => m.Parts.All(p => HasQuant(p, quant))).ToArray();
        if (matching.Count == 1) return Complete(matching[0], where);

        var available = models.Count == 0 ? "it has no GGUF files" : $"it has {Describe(models)}";
        if (matching.Count == 0)
            throw new NuggetsException(quant is null
                ? $"{where}: no GGUF model to pick: {available}."
                : $"{where}: no GGUF file of quantisation '{quant}': {available}.", ExitCodes.HubNotFound);
        throw new NuggetsException(
            $"{where}: {(quant is null ? "several GGUF models" : $"several GGUF models of quantisation '{quant}'")} match: " +
            $"{string.Join(", ", matching.Select(m => m.Name))}. Name one: hf://owner/name/<file>.gguf" +
            (quant is null ? " or hf://owner/name:<quantisation>." : "."), ExitCodes.Config);
    }

    /// <summary>The parts of the split file whose first part is <paramref name="path"/> (just it when it is not split).</summary>
    public static IReadOnlyList<string> PartsOf(string path)
    {
        if (Split().Match(path) is not { Success: true } split) return [path];
        var count = int.Parse(split.Groups["count"].Value, CultureInfo.InvariantCulture);
        var width = split.Groups["part"].Value.Length;
        return Enumerable.Range(1, count)
            .Select(i => $"{split.Groups["stem"].Value}-{i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0')}-of-{split.Groups["count"].Value}.gguf")
            .ToArray();
    }

    /// <summary>Whether <paramref name="path"/> is part k &gt; 1 of a split file (llama.cpp must be given part 1).</summary>
    public static bool IsLaterPart(string path) => Split().Match(path) is { Success: true } split && int.Parse(split.Groups["part"].Value, CultureInfo.InvariantCulture) > 1;

    /// <summary>
    /// Whether <paramref name="path"/> carries quantisation tag <paramref name="quant"/>, case-insensitively and as a
    /// whole tag: <c>Q4_K</c> does not match <c>Q4_K_M</c>, and <c>Q4_K_M</c> does not match <c>IQ4_K_M</c>.
    /// </summary>
    public static bool HasQuant(string path, string quant)
    {
        for (var at = path.IndexOf(quant, StringComparison.OrdinalIgnoreCase); at >= 0; at = path.IndexOf(quant, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + quant.Length;
            var startsTag = at == 0 || !char.IsAsciiLetterOrDigit(path[at - 1]);
            var endsTag = end == path.Length || !(char.IsAsciiLetterOrDigit(path[end]) || path[end] == '_');
            if (startsTag && endsTag) return true;
        }
        return false;
    }

    /// <summary>The quantisation tag in a GGUF file name (<c>Q4_K_M</c>, <c>IQ3_XXS</c>, <c>F16</c>), or null.</summary>
    public static string? QuantOf(string path)
    {
        var name = FileName(path);
        name = Split().Match(name) is { Success: true } split ? split.Groups["stem"].Value : name[..^".gguf".Length];
        return Quant().Matches(name).LastOrDefault()?.Groups["quant"].Value.ToUpperInvariant();
    }

    private static GgufModel Complete(GgufModel model, string where)
    {
        var expected = PartsOf(model.Parts[0]);
        var missing = expected.Except(model.Parts, StringComparer.Ordinal).ToArray();
        if (missing.Length > 0 || model.Parts.Count != expected.Count)
            throw new NuggetsException($"{where}: the split model {model.Name} lacks {string.Join(", ", missing)}.", ExitCodes.HubNotFound);
        return model;
    }

    private static string Describe(IReadOnlyList<GgufModel> models)
    {
        var quants = models.Select(m => QuantOf(m.Parts[0])).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray();
        return quants.Length > 0
            ? $"quantisations {string.Join(", ", quants)} ({string.Join(", ", models.Select(m => m.Name))})"
            : $"models {string.Join(", ", models.Select(m => m.Name))}";
    }

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];

    [GeneratedRegex(@"^(?<stem>.+)-(?<part>[0-9]{5})-of-(?<count>[0-9]{5})\.gguf$", RegexOptions.IgnoreCase)]
    private static partial Regex Split();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?<quant>(?:I?Q|TQ)[0-9][A-Za-z0-9_]*|BF16|F16|F32|FP16|FP32|MXFP4(?:_MOE)?)(?![A-Za-z0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex Quant();
}
