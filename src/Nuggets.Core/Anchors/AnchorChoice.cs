using System.Globalization;
using Nuggets.Core.Configuration;

namespace Nuggets.Core.Anchors;

/// <summary>
/// The settings that decide which rows a pick makes anchors; a lock file made under other settings is stale. The model
/// is not among them: a pinned set stays valid when the model changes (<c>anchors --refresh</c> re-picks on purpose).
/// </summary>
/// <param name="Method">random or kmeans.</param>
/// <param name="Count">Anchors asked for.</param>
/// <param name="Seed">Seed of the pick.</param>
/// <param name="From">Which rows anchors come from when stages run.</param>
/// <param name="KmeansRestarts">k-means only: restarts.</param>
/// <param name="KmeansSample">k-means only: most rows clustered.</param>
/// <param name="Normalize">k-means only: L2-normalised embeddings.</param>
public sealed record AnchorChoice(AnchorMethod Method, int Count, int Seed, AnchorSource From, int? KmeansRestarts, int? KmeansSample, bool? Normalize)
{
    /// <summary>The choice <paramref name="options"/> describe (the k-means settings only for k-means).</summary>
    public static AnchorChoice Of(AnchorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var kmeans = options.Method == AnchorMethod.KMeans;
        return new AnchorChoice(options.Method, options.Count, options.Seed, options.From,
            kmeans ? options.KmeansRestarts : null, kmeans ? options.KmeansSample : null, kmeans ? options.Normalize : null);
    }

    /// <summary>A short description for messages, e.g. <c>kmeans:100, seed 42, from dataset, 10 restarts</c>.</summary>
    public string Describe()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Spelling.Of(Method)}:{Count}, seed {Seed}, from {Spelling.Of(From)}");
        if (KmeansRestarts is { } restarts) text += string.Create(CultureInfo.InvariantCulture, $", {restarts} restarts, sample {KmeansSample}");
        if (Normalize == true) text += ", normalised";
        return text;
    }
}
