using System.Text.Json;

namespace Nuggets.Build.Tasks;

/// <summary>
/// The few fields of <c>manifest.json</c> the build reports. Read with <see cref="JsonDocument"/> rather than the
/// Core <c>Manifest</c> type because this assembly loads into MSBuild and references nothing of the tool.
/// </summary>
/// <param name="Candidates">Rows that competed for selection (<c>counts.candidates</c>).</param>
/// <param name="Selected">Rows kept (<c>counts.selected</c>).</param>
/// <param name="Skipped">Rows skipped (<c>counts.skipped</c>).</param>
/// <param name="SkippedReasons">Why, by reason (<c>counts.skippedReasons</c>).</param>
/// <param name="PairsDecoded">Candidate–anchor pairs scored by the model in this run (<c>counts.pairsDecoded</c>).</param>
/// <param name="PairsFromCache">Pairs taken from the score cache (<c>counts.pairsFromCache</c>).</param>
/// <param name="OutputPath">The selection file (<c>output.path</c>), or null.</param>
public sealed record ManifestSummary(
    long Candidates, long Selected, long Skipped, IReadOnlyDictionary<string, long> SkippedReasons,
    long PairsDecoded, long PairsFromCache, string? OutputPath)
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file is missing or unreadable.</exception>
    /// <exception cref="JsonException">The file is not JSON.</exception>
    public static ManifestSummary Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var counts = Property(root, "counts");
        long Count(string name) => counts is { } c && Property(c, name) is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : 0;

        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (counts is { } countsElement && Property(countsElement, "skippedReasons") is { ValueKind: JsonValueKind.Object } reasonsElement)
        {
            foreach (var reason in reasonsElement.EnumerateObject())
            {
                if (reason.Value.ValueKind == JsonValueKind.Number) reasons[reason.Name] = reason.Value.GetInt64();
            }
        }
        var outputPath = Property(root, "output") is { ValueKind: JsonValueKind.Object } output
            && Property(output, "path") is { ValueKind: JsonValueKind.String } p ? p.GetString() : null;
        return new ManifestSummary(Count("candidates"), Count("selected"), Count("skipped"), reasons,
            Count("pairsDecoded"), Count("pairsFromCache"), outputPath);
    }

    /// <summary>A property by name, ignoring case (the manifest is camelCase; be lenient about it).</summary>
    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        }
        return null;
    }
}
