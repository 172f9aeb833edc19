using System.Globalization;
using Nuggets.Core.Anchors;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Output;

namespace Nuggets.Core.Pipeline;

/// <summary>The anchors of a run and what the run owes the lock file.</summary>
/// <param name="Anchors">The anchors to score against.</param>
/// <param name="Lock">What happened to the lock; null when anchors are not pinned (<c>anchors.pin</c> off, a file of anchors, no config file).</param>
/// <param name="Pending">A lock to create when the run publishes its outputs; null when there is nothing to write.</param>
internal sealed record PinnedAnchors(AnchorSet Anchors, ManifestAnchorLock? Lock, AnchorLock? Pending)
{
    private string? _writeProblem;

    /// <summary>
    /// Stages the pending lock as the first file of <paramref name="output"/>: it is renamed into place with the outputs (a
    /// stopped or failed run leaves none), and being written first it is never newer than them, so a build system that
    /// lists it among the inputs (MSBuild) sees the outputs as up to date. A lock that cannot be written (a read-only
    /// folder) costs the pin, not the run: the outputs are still published, with a warning.
    /// </summary>
    public void Stage(OutputTransaction output)
    {
        if (Pending is null) return;
        var path = Lock!.Path;
        try
        {
            AnchorLockFile.Write(Pending, output.Stage(path));
        }
        catch (NuggetsException e)
        {
            output.Unstage(path);
            _writeProblem = e.Message;
        }
    }

    /// <summary>A warning for the user, or null: the lock did not fit or could not be written, or the data drifted far from it.</summary>
    public string? Warning => _writeProblem is { } problem
        ? $"{Lock!.Path}: the anchors were not pinned ({problem}); set 'anchors.lockFile' to a writable place or 'anchors.pin' to false."
        : Lock switch
        {
            { Status: AnchorLockStatus.Unpinned } l => $"{l.Path}: {l.Reason}; this run's anchors are not pinned. `dotnet nuggets anchors --refresh` pins new ones (every pair is then rescored).",
            { NewRowShare: >= AnchorPins.DriftWarningShare } l => string.Create(CultureInfo.InvariantCulture,
                $"{l.Path}: about {l.NewRowShare * 100:0}% of the rows are new since these anchors were pinned; `dotnet nuggets anchors --refresh` picks anchors that represent them (every pair is then rescored)."),
            _ => null,
        };
}

/// <summary>
/// Anchors that stay put while the data grows: a pick (random or k-means) is pinned in a lock file beside the config,
/// and later runs reuse it while it fits, so an edit rescores only the rows it touched (docs/scoring.md, "Anchors").
/// The lock fits while it was made under the same <see cref="AnchorChoice"/> and every pinned row is still in the data.
/// A run creates the lock when there is none, but never replaces one on its own: a lock that no longer fits is kept,
/// the run's own pick is used unpinned with a warning, and only <c>anchors --refresh</c> replaces it. Shards never
/// write it (they would race for one file on shared storage): <c>dotnet nuggets anchors</c> pins it before submitting.
/// </summary>
internal static class AnchorPins
{
    /// <summary>Share of new rows from which a reused lock earns a warning.</summary>
    public const double DriftWarningShare = 0.25;

    /// <summary>Reuses the lock when it fits (and <paramref name="refresh"/> is off); otherwise picks with <paramref name="pick"/>.</summary>
    /// <param name="options">The anchor settings; <c>LockFile</c> null means no lock (no config file).</param>
    /// <param name="refresh">Replace the lock with a new pick (<c>anchors --refresh</c>).</param>
    /// <param name="shard">True for one shard of several: use a lock that fits, never write one.</param>
    /// <param name="source">The rows anchors come from.</param>
    /// <param name="reader">Reads <paramref name="source"/>.</param>
    /// <param name="canBeAnchor">Which rows may be anchors (those with a response).</param>
    /// <param name="pick">Picks anchors afresh (random or k-means).</param>
    /// <exception cref="NuggetsException">The lock file is unreadable (exit code Config).</exception>
    public static PinnedAnchors Resolve(
        AnchorOptions options, bool refresh, bool shard, DatasetSource source, IDatasetReader reader, Func<Example, bool> canBeAnchor, Func<AnchorSet> pick)
    {
        if (options.Method == AnchorMethod.File || !options.Pin || options.LockFile is not { } path) return new PinnedAnchors(pick(), null, null);
        var choice = AnchorChoice.Of(options);
        var pinned = refresh ? null : AnchorLockFile.Read(path);

        string? misfit = null;
        if (pinned is not null && pinned.Choice != choice)
        {
            misfit = $"the lock pins {pinned.Choice.Describe()}, but this run asks for {choice.Describe()}";
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
            misfit = $"{missing} of the lock's {found.Length} pinned anchor rows are not in this run's data";
        }
        else if (shard && !refresh)
        {
            misfit = "there is no lock, and a shard does not create one (shards would race for it); run `dotnet nuggets anchors` before submitting";
        }

        var picked = pick();
        if (misfit is not null) return new PinnedAnchors(picked, new ManifestAnchorLock(path, AnchorLockStatus.Unpinned, misfit, null), null);
        var (rows, rowSketch) = Sketch(source, reader, canBeAnchor);
        var lockFile = new AnchorLock(AnchorLock.AboutText, AnchorLock.CurrentVersion, choice, picked.Examples.Select(e => e.ContentHash).ToArray(),
            rows, picked.Clustering, rowSketch.ToText());
        var status = refresh ? AnchorLockStatus.Refreshed : AnchorLockStatus.Created;
        return new PinnedAnchors(picked, new ManifestAnchorLock(path, status, null, null), lockFile);
    }

    // One pass: the first row of each pinned content hash, and the sketch of today's rows.
    private static (Example?[] Found, RowSketch Sketch) FindPinned(AnchorLock pinned, DatasetSource source, IDatasetReader reader, Func<Example, bool> canBeAnchor)
    {
        var position = pinned.Anchors.Select((hash, i) => (hash, i)).ToDictionary(p => p.hash, p => p.i, StringComparer.Ordinal);
        var found = new Example?[pinned.Anchors.Count];
        var (_, sketch) = Sketch(source, reader, canBeAnchor, example =>
        {
            if (position.TryGetValue(example.ContentHash, out var i)) found[i] ??= example;
        });
        return (found, sketch);
    }

    // The rows that can be anchors, counted and sketched, each also handed to onRow.
    private static (long Rows, RowSketch Sketch) Sketch(DatasetSource source, IDatasetReader reader, Func<Example, bool> canBeAnchor, Action<Example>? onRow = null)
    {
        var sketch = new RowSketch();
        long rows = 0;
        foreach (var chunk in reader.ReadChunks(source))
        {
            foreach (var example in chunk.Where(canBeAnchor))
            {
                rows++;
                sketch.Add(example.ContentHash);
                onRow?.Invoke(example);
            }
        }
        return (rows, sketch);
    }
}
