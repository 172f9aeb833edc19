using System.Text.Json.Serialization;

namespace Nuggets.Core.Configuration;

/// <summary><c>anchors.from</c>: which rows anchors are picked from when LIFT stages run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnchorSource>))]
public enum AnchorSource
{
    /// <summary>The dataset's own rows, before any stage (the Nuggets paper's anchors are tasks of the dataset being selected).</summary>
    [JsonStringEnumMemberName("dataset")] Dataset,
    /// <summary>The last stage's output, generated rows included.</summary>
    [JsonStringEnumMemberName("stages")] Stages,
}
