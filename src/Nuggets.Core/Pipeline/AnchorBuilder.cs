using Nuggets.Core.Anchors;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Prompting;

namespace Nuggets.Core.Pipeline;

/// <summary>Builds the anchor set the configuration asks for: random rows, k-means medoids, or a file.</summary>
internal static class AnchorBuilder
{
    public static AnchorSet Build(
        AnchorOptions options, DatasetSource dataset, ColumnMapping columns, IDatasetReader reader, ScoringSession session, ExampleFormatter formatter,
        RunCounters counters, CancellationToken cancellation)
    {
        bool HasResponse(Example e) => formatter.Format(e).Response.Length > 0;
        switch (options.Method)
        {
            case AnchorMethod.File:
                var fromFile = new DatasetSource([options.Path!], columns);
                reader.Describe(fromFile);
                var examples = reader.ReadChunks(fromFile).SelectMany(c => c).ToArray();
                var unusable = examples.FirstOrDefault(e => !HasResponse(e));
                if (unusable is not null)
                    throw new NuggetsException($"{options.Path}: anchor row {unusable.Row} has an empty response; an anchor needs response tokens to score.", ExitCodes.Config);
                return new AnchorSet(examples, AnchorMethod.File, options.Seed);

            case AnchorMethod.KMeans:
                var embedder = session.Embedder
                    ?? throw new NuggetsException("'anchors.method' is 'kmeans', but the scoring backend has no embeddings.", ExitCodes.Config);
                var sample = RandomAnchorSampler.Sample(reader.ReadChunks(dataset), options.KmeansSample, options.Seed, HasResponse);
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
                var medoids = KMeans.NearestToCentroids(vectors, options.Count, options.Seed, cancellation: cancellation);
                return new AnchorSet(medoids.Select(i => sample[i]).OrderBy(e => e.Row).ToArray(), AnchorMethod.KMeans, options.Seed);

            case AnchorMethod.Random:
                return new AnchorSet(RandomAnchorSampler.Sample(reader.ReadChunks(dataset), options.Count, options.Seed, HasResponse), AnchorMethod.Random, options.Seed);

            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Method, "not an anchor method");
        }
    }
}
