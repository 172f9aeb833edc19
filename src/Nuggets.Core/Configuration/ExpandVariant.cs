using System.Text.Json.Serialization;

namespace Nuggets.Core.Configuration;

/// <summary><c>stages[expand].variant</c>: which LIFT rewrite prompt the expand stage uses.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExpandVariant>))]
public enum ExpandVariant
{
    /// <summary>Depth and breadth, specific concepts, multi-step reasoning.</summary>
    [JsonStringEnumMemberName("general")] General,
    /// <summary>Programming tasks: all five of the LIFT authors' ways (constraints, a rarer requirement, more reasoning, faulty code to mislead, tighter complexity).</summary>
    [JsonStringEnumMemberName("code")] Code,
}
