using Nuggets.Core.Data;
using Nuggets.Core.Stages;

namespace Nuggets.Core.Pipeline;

/// <summary>
/// The caches of one run, opened together on one cache file (one lock, one connection): the score cache and the LIFT
/// stages' cache. Each role has its own interface; disposing this closes what they share.
/// </summary>
/// <param name="scores">Zero-shot and one-shot sums.</param>
/// <param name="stages">The stages' generations and embeddings.</param>
/// <param name="owner">What the two share and this run closes when done (the open file); null when nothing needs closing.</param>
public sealed class RunCaches(IScoreCache scores, IStageCache stages, IDisposable? owner = null) : IDisposable
{
    /// <summary>The score cache.</summary>
    public IScoreCache Scores { get; } = scores ?? throw new ArgumentNullException(nameof(scores));

    /// <summary>The LIFT stages' cache.</summary>
    public IStageCache Stages { get; } = stages ?? throw new ArgumentNullException(nameof(stages));

    /// <summary>Closes what the caches share.</summary>
    public void Dispose() => owner?.Dispose();
}
