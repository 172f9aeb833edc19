using System.Text.Json.Serialization;

namespace Nuggets.Core.Configuration;

/// <summary><c>anchors.method</c>: how the anchor set is built.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnchorMethod>))]
public enum AnchorMethod
{
    /// <summary>A seeded random pick of <c>anchors.count</c> rows.</summary>
    [JsonStringEnumMemberName("random")] Random,
    /// <summary>The medoids of <c>anchors.count</c> k-means clusters of the rows' embeddings.</summary>
    [JsonStringEnumMemberName("kmeans")] KMeans,
    /// <summary>The rows of <c>anchors.path</c>.</summary>
    [JsonStringEnumMemberName("file")] File,
}
