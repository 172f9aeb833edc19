using System.Text.Json.Serialization;

namespace Nuggets.Core.Configuration;

/// <summary><c>selection.anchorOrder</c>: the order in which pruning visits the anchors (README.md, "Exact pruning").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnchorOrderMethod>))]
public enum AnchorOrderMethod
{
    /// <summary>Losing-first, from the win rates of a seeded pilot sample of candidates scored on every anchor.</summary>
    [JsonStringEnumMemberName("pilot")] Pilot,
    /// <summary>The anchors' file order.</summary>
    [JsonStringEnumMemberName("file")] File,
}
