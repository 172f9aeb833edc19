using System.Text.Json.Serialization;

namespace Nuggets.Core.Configuration;

/// <summary><c>selection.mode</c>: which scored rows are kept (README.md, "Configuration").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SelectionMode>))]
public enum SelectionMode
{
    /// <summary>Golden score &gt; <c>selection.threshold</c>; the only mode pruning can shorten.</summary>
    [JsonStringEnumMemberName("threshold")] Threshold,
    /// <summary>The best <c>selection.top</c> rows.</summary>
    [JsonStringEnumMemberName("top")] Top,
    /// <summary>The best <c>selection.topPercent</c> percent of the scored rows.</summary>
    [JsonStringEnumMemberName("topPercent")] TopPercent,
}
