using Nuggets.Core.Anchors;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Prompting;

namespace Nuggets.Core.Pipeline;

/// <summary>Builds the anchor set the configuration asks for: random rows, k-means medoids, or a file.</summary>
internal static class AnchorBuilder
{
    /// <summary>Rows without a response cannot be anchors: there is nothing to score.</summary>
    public static Func<Example, bool> CanBeAnchor(ExampleFormatter formatter) => e => formatter.Format(e).Response.Length > 0;

    public static AnchorSet Build(
        AnchorOptions options, DatasetSource dataset, ColumnMapping columns, IDatasetReader reader, ScoringSession session, ExampleFormatter formatter,
        RunCounters counters, CancellationToken cancellation)
    {
        var hasResponse = CanBeAnchor(formatter);
        switch (options.Method)
        {
            case AnchorMethod.File:
                var fromFile = new DatasetSource([options.Path!], columns);
                reader.Describe(fromFile);
                var examples = reader.ReadChunks(fromFile).SelectMany(c => c).ToArray();
                var unusable = examples.FirstOrDefault(e => !hasResponse(e));
                if (unusable is not null)
                    throw new NuggetsException($"{options.Path}: anchor row {unusable.Row} has an empty response; an anchor needs response tokens to score.", ExitCodes.Config);
                return new AnchorSet(examples, AnchorMethod.File, options.Seed);

            case AnchorMethod.KMeans:
                var embedder = session.Embedder
                    ?? throw new NuggetsException("'anchors.method' is 'kmeans', but the scoring backend has no embeddings.", ExitCodes.Config);
                // Every row is clustered up to kmeansSample rows; above it, a seeded sample of that many (the sampler keeps all when fewer).
                long eligibleRows = 0;
                bool CountedIfEligible(Example e)
                {
                    if (!hasResponse(e)) return false;
                    eligibleRows++; // the sampler sees every row once, so this counts the rows that could be anchors
                    return true;
                }
                var sample = RandomAnchorSampler.Sample(reader.ReadChunks(dataset), options.KmeansSample, options.Seed, CountedIfEligible);
                counters.Begin("embeddings");
                var vectors = new List<float[]>(sample.Count);
                foreach (var batch in sample.Chunk(64))
                {
                    cancellation.ThrowIfCancellationRequested();
                    session.Governor?.Poll(); // auto's thread count follows the load between model calls
                    vectors.AddRange(embedder.Embed(batch.Select(e => formatter.Format(e).FullText).ToArray(), cancellation));
                    counters.Detail = $"{vectors.Count:N0}/{sample.Count:N0} rows embedded";
                    counters.ReportProgress();
                }
                if (options.Normalize) KMeans.Normalize(vectors);
                var clustering = KMeans.Cluster(vectors, options.Count, options.Seed, options.KmeansRestarts, cancellation: cancellation);
                var record = new AnchorClustering(eligibleRows, sample.Count, Sampled: sample.Count == options.KmeansSample && eligibleRows > sample.Count,
                    options.KmeansRestarts, clustering.Restart, clustering.Inertia, options.Normalize, vectors.Count > 0 ? vectors[0].Length : 0);
                return new AnchorSet(clustering.Medoids.Select(i => sample[i]).OrderBy(e => e.Row).ToArray(), AnchorMethod.KMeans, options.Seed) { Clustering = record };

            case AnchorMethod.Random:
                return new AnchorSet(RandomAnchorSampler.Sample(reader.ReadChunks(dataset), options.Count, options.Seed, hasResponse), AnchorMethod.Random, options.Seed);

            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Method, "not an anchor method");
        }
    }
}
