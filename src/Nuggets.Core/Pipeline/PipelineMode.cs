using System.Text.Json.Serialization;

namespace Nuggets.Core.Pipeline;

/// <summary>What a pipeline invocation produces; spelled as its command (the manifest's <c>mode</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PipelineMode>))]
public enum PipelineMode
{
    /// <summary>Anchors, scores and the selection (+ manifest).</summary>
    [JsonStringEnumMemberName("run")] Run,
    /// <summary>Anchors and scores; writes every scored row with its golden score, wins and anchors scored.</summary>
    [JsonStringEnumMemberName("score")] Score,
    /// <summary>The selection from cached scores only: no decoding (fails when pairs are missing).</summary>
    [JsonStringEnumMemberName("select")] Select,
    /// <summary>Only build and write the anchor set.</summary>
    [JsonStringEnumMemberName("anchors")] Anchors,
}
