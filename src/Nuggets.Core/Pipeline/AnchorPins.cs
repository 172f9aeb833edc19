using System.Globalization;
using Nuggets.Core.Anchors;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;

namespace Nuggets.Core.Pipeline;

/// <summary>The anchors of a run and what the run owes the lock file.</summary>
/// <param name="Anchors">The anchors to score against.</param>
/// <param name="Lock">What happened to the lock; null when anchors are not pinned (<c>anchors.pin</c> off, or a file of anchors).</param>
/// <param name="Pending">A lock to write when the run publishes its outputs; null when the lock already says it.</param>
internal sealed record PinnedAnchors(AnchorSet Anchors, ManifestAnchorLock? Lock, AnchorLock? Pending)
{
    /// <summary>
    /// Stages the pending lock as the first file of <paramref name="output"/>: it is renamed into place with the outputs (a
    /// stopped or failed run leaves the old lock), and being written first it is never newer than them, so a build
    /// system that lists it among the inputs (MSBuild) sees the outputs as up to date.
    /// </summary>
    public void Stage(Output.OutputTransaction output)
    {
        if (Pending is null) return;
        Output.OutputTransaction.RemoveStale(Path.GetDirectoryName(Lock!.Path)!); // staged locks of killed runs
        AnchorLockFile.Write(Pending, output.Stage(Lock.Path));
    }

    /// <summary>A warning for the user, or null: the data drifted far from the pinned anchors, or the lock was stale.</summary>
    public string? Warning => Lock switch
    {
        { Status: AnchorLockStatus.Repicked } l => $"{l.Path}: {l.Reason}; picked the anchors again and updated the lock (pairs against the old anchors are not reused).",
        { NewRowShare: >= AnchorPins.DriftWarningShare } l => string.Create(CultureInfo.InvariantCulture,
            $"{l.Path}: about {l.NewRowShare * 100:0}% of the rows are new since these anchors were pinned; `dotnet nuggets anchors --refresh` picks anchors that represent them (every pair is then rescored)."),
        _ => null,
    };
}

/// <summary>
/// Anchors that stay put while the data grows: a pick (random or k-means) is pinned in a lock file beside the config,
/// and later runs reuse it while it fits, so an edit rescores only the rows it touched (docs/scoring.md, "Anchors").
/// The lock fits while it was made under the same <see cref="AnchorChoice"/> and every pinned row is still in the data.
/// </summary>
internal static class AnchorPins
{
    /// <summary>Share of new rows from which a reused lock earns a warning.</summary>
    public const double DriftWarningShare = 0.25;

    /// <summary>Reuses the lock when it fits (and <paramref name="refresh"/> is off); otherwise picks with <paramref name="pick"/>.</summary>
    /// <exception cref="NuggetsException">The lock file is unreadable (exit code Config).</exception>
    public static PinnedAnchors Resolve(
        AnchorOptions options, bool refresh, DatasetSource source, IDatasetReader reader, Func<Example, bool> canBeAnchor, Func<AnchorSet> pick)
    {
        if (options.Method == AnchorMethod.File || !options.Pin) return new PinnedAnchors(pick(), null, null);
        var path = options.LockFile ?? throw new InvalidOperationException("anchors.lockFile is resolved by the config loader.");
        var choice = AnchorChoice.Of(options);
        var pinned = refresh ? null : AnchorLockFile.Read(path);

        string? reason = null;
        if (pinned is not null && pinned.Choice != choice)
        {
            reason = $"it pins {pinned.Choice.Describe()}, but the config asks for {choice.Describe()}";
        }
        else if (pinned is not null)
        {
            var (found, sketch) = FindPinned(pinned, source, reader, canBeAnchor);
            var missing = found.Count(e => e is null);
            if (missing == 0)
            {
                var anchors = new AnchorSet(found!, pinned.Choice.Method, pinned.Choice.Seed) { Clustering = pinned.Clustering };
                var newShare = sketch.NewShareAgainst(RowSketch.FromText(pinned.Sketch));
                return new PinnedAnchors(anchors, new ManifestAnchorLock(path, AnchorLockStatus.Reused, null, newShare), null);
            }
            reason = $"{missing} of its {found.Length} pinned anchor rows are no longer in the data";
        }

        var picked = pick();
        var status = refresh ? AnchorLockStatus.Refreshed : reason is null ? AnchorLockStatus.Created : AnchorLockStatus.Repicked;
        var (rows, rowSketch) = Sketch(source, reader, canBeAnchor);
        var lockFile = new AnchorLock(AnchorLock.AboutText, AnchorLock.CurrentVersion, choice, picked.Examples.Select(e => e.ContentHash).ToArray(),
            rows, picked.Clustering, rowSketch.ToText());
        return new PinnedAnchors(picked, new ManifestAnchorLock(path, status, reason, null), lockFile);
    }

    // One pass: the first row of each pinned content hash, and the sketch of today's rows.
    private static (Example?[] Found, RowSketch Sketch) FindPinned(AnchorLock pinned, DatasetSource source, IDatasetReader reader, Func<Example, bool> canBeAnchor)
    {
        var position = pinned.Anchors.Select((hash, i) => (hash, i)).ToDictionary(p => p.hash, p => p.i, StringComparer.Ordinal);
        var found = new Example?[pinned.Anchors.Count];
        var sketch = new RowSketch();
        foreach (var chunk in reader.ReadChunks(source))
        {
            foreach (var example in chunk)
            {
                if (!canBeAnchor(example)) continue;
                sketch.Add(example.ContentHash);
                if (position.TryGetValue(example.ContentHash, out var i)) found[i] ??= example;
            }
        }
        return (found, sketch);
    }

    private static (long Rows, RowSketch Sketch) Sketch(DatasetSource source, IDatasetReader reader, Func<Example, bool> canBeAnchor)
    {
        var sketch = new RowSketch();
        long rows = 0;
        foreach (var chunk in reader.ReadChunks(source))
        {
            foreach (var example in chunk.Where(canBeAnchor))
            {
                rows++;
                sketch.Add(example.ContentHash);
            }
        }
        return (rows, sketch);
    }
}
