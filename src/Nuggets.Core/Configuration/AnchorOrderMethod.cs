using System.Text.Json.Serialization;

namespace Nuggets.Core.Configuration;

/// <summary><c>selection.anchorOrder</c>: the order in which pruning visits the anchors (README.md, "Exact pruning").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnchorOrderMethod>))]
public enum AnchorOrderMethod
{
    /// <summary>
    /// <see cref="Pilot"/> when the dataset has at least <see cref="AnchorOrderRules.PilotRowsPerDemonstration"/> rows per pilot
    /// demonstration (the pilot then costs at most 1% of full scoring), <see cref="File"/> otherwise.
    /// </summary>
    [JsonStringEnumMemberName("auto")] Auto,
    /// <summary>Losing-first, from how often the anchors, each used as a one-shot demonstration, win on one another.</summary>
    [JsonStringEnumMemberName("pilot")] Pilot,
    /// <summary>The anchors' file order.</summary>
    [JsonStringEnumMemberName("file")] File,
}

/// <summary>Constants of <see cref="AnchorOrderMethod"/>.</summary>
public static class AnchorOrderRules
{
    /// <summary>Under <see cref="AnchorOrderMethod.Auto"/>, the pilot runs from this many dataset rows per demonstration.</summary>
    public const int PilotRowsPerDemonstration = 100;
}
