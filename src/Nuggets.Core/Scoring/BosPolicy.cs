using System.Text.Json.Serialization;

namespace Nuggets.Core.Scoring;

/// <summary><c>scoring.bosPolicy</c>: whether zero-shot anchors are scored after a BOS token (docs/scoring.md, "BOS policy").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BosPolicy>))]
public enum BosPolicy
{
    /// <summary>Zero-shot anchors without BOS, as the paper's code scores them.</summary>
    [JsonStringEnumMemberName("reference")] Reference,
    /// <summary>BOS before zero-shot anchors too, like before one-shot pairs.</summary>
    [JsonStringEnumMemberName("symmetric")] Symmetric,
}
