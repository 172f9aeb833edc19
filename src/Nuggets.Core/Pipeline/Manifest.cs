using Nuggets.Core.Scoring;
using Nuggets.Core.Configuration;

namespace Nuggets.Core.Pipeline;

/// <summary>manifest.json: everything needed to know what a selection is and to reproduce it.</summary>
public sealed record Manifest(
    string Tool,
    string ToolVersion,
    PipelineMode Mode,
    string? ConfigPath,
    IReadOnlyList<ManifestInput> Inputs,
    long Rows,
    ManifestModel Model,
    ManifestAnchors Anchors,
    ManifestSettings Settings,
    ManifestCounts Counts,
    IReadOnlyList<HistogramBin> Histogram,
    IReadOnlyList<AnchorWinRate> AnchorWinRates,
    ManifestOutput? Output)
{
    /// <summary>The LIFT stages that made the scored rows, in order; absent (null) when none were configured.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ManifestStage>? Stages { get; init; }

    /// <summary>
    /// The Hugging Face Hub inputs (<c>hf://</c> model and dataset paths) with the commit each revision resolved to, so
    /// the run can be repeated on the same files after the repository moves on; absent when the run read none.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ManifestHubInput>? Hub { get; init; }

    /// <summary>How this run pruned and in which anchor order; absent only in manifests written before it was recorded.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ManifestPruning? Pruning { get; init; }
}

/// <summary>How a run pruned (README.md, "Exact pruning").</summary>
/// <param name="Kind"><c>none</c>, <c>threshold</c> (each candidate against the threshold) or <c>top</c> (against the k-th best row).</param>
/// <param name="AnchorOrder"><c>file</c> or <c>pilot</c>: how <paramref name="Order"/> was derived.</param>
/// <param name="Order">The anchors in the order pruning visited them, as 0-based indexes in the anchors' file order.</param>
/// <param name="Pilot">The pilot that derived the order; null when the order is the file order.</param>
public sealed record ManifestPruning(string Kind, string AnchorOrder, IReadOnlyList<int> Order, ManifestPilot? Pilot);

/// <summary>The anchor-order pilot: the first anchors, each scored as a one-shot demonstration on every anchor.</summary>
/// <param name="Requested">Demonstrations asked for (<c>selection.pilotAnchors</c>).</param>
/// <param name="Demonstrations">Demonstrations scored (fewer when there are fewer anchors, or some are too long or identical).</param>
/// <param name="Pairs">Pairs the pilot needed: demonstrations × anchors, cached or decoded.</param>
/// <param name="Wins">Per anchor in file order, how many of the other demonstrations won on it.</param>
/// <param name="Trials">Per anchor in file order, how many other demonstrations were scored on it; the order sorts wins / trials, lowest first.</param>
public sealed record ManifestPilot(int Requested, int Demonstrations, long Pairs, IReadOnlyList<long> Wins, IReadOnlyList<long> Trials);

/// <summary>One <c>hf://</c> input as resolved on the Hugging Face Hub.</summary>
/// <param name="Uri">The <c>hf://</c> path as configured.</param>
/// <param name="Setting">Which setting named it (<c>model.path</c>, <c>dataset.paths</c>, <c>anchors.path</c>, <c>stages[0].model</c>).</param>
/// <param name="Repo">The repository, with its kind: <c>models/owner/name</c> or <c>datasets/owner/name</c>.</param>
/// <param name="Revision">The revision asked for (<c>main</c> when none was given).</param>
/// <param name="Commit">The commit that revision resolved to: pin it with <c>@commit</c> to read the same files again.</param>
/// <param name="Files">The repository paths read, in the order used, with the local files they were read from.</param>
public sealed record ManifestHubInput(string Uri, string Setting, string Repo, string Revision, string Commit, IReadOnlyList<ManifestHubFile> Files);

/// <summary>One file of a Hub input.</summary>
/// <param name="Path">Its path in the repository.</param>
/// <param name="LocalPath">The file in the local Hugging Face cache (<c>snapshots/&lt;commit&gt;/&lt;path&gt;</c>).</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">Its SHA-256 as the Hub's LFS metadata gives it (null for a small file stored in git, checked by its git hash instead).</param>
public sealed record ManifestHubFile(string Path, string LocalPath, long Size, string? Sha256);

/// <summary>An input file with its SHA-256 and rows.</summary>
public sealed record ManifestInput(string Path, string Sha256, long Rows);

/// <summary>The scoring model and where it ran.</summary>
/// <param name="Path">The model file as configured.</param>
/// <param name="Sha256">Its SHA-256.</param>
/// <param name="LlamaBuild">llama.cpp build.</param>
/// <param name="Backend">Where this run computed, e.g. <c>CPU (haswell, 2 threads)</c>.</param>
/// <param name="Fingerprint">The scorer fingerprint the cached sums were read and written under.</param>
/// <param name="NumericBackend">
/// The backend that produced every sum this run used, cached or new (<c>cpu/haswell</c>): it is part of the
/// fingerprint, so no sum of another backend can be among them.
/// </param>
/// <param name="Threads">
/// Compute threads at the start of the run (never changes a sum); null when the backend did not say. Under
/// <c>auto</c> the count follows the load during the run; the run's summary line says between which counts.
/// </param>
/// <param name="ThreadsRule">
/// How they were chosen: <c>auto</c> (from the machine at the start of the run, then re-checked every few seconds) or
/// <c>set</c> (<c>model.threads</c>, never changed). The figures behind an <c>auto</c> choice (load, the counts it went
/// through) are printed by the run and by <c>doctor</c>, not kept here, so that a rerun's manifest differs at most in
/// the count.
/// </param>
public sealed record ManifestModel(
    string Path, string Sha256, string LlamaBuild, string Backend, string Fingerprint, string NumericBackend, int? Threads = null, string? ThreadsRule = null)
{
    /// <summary>
    /// <c>computed</c> (this run read the file) or <c>reused</c> (taken from <c>model-identity.json</c> beside the cache,
    /// because the file's size, modification and change times and inode were those it had when last hashed); absent in
    /// manifests of earlier versions.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Sha256Source { get; init; }
}


/// <summary>The anchor set.</summary>
/// <param name="Method">How the anchors were picked.</param>
/// <param name="Seed">Seed of the pick.</param>
/// <param name="Count">Anchors used.</param>
/// <param name="Hash">SHA-256 naming the exact anchor set.</param>
/// <param name="Path">The anchors file written (or read, for method file).</param>
/// <param name="Rows">The anchors' rows in the data they came from.</param>
/// <param name="From">Which rows they came from when stages ran.</param>
/// <param name="Lock">The anchor lock file and what the run did with it; null when anchors are not pinned.</param>
/// <param name="Clustering">What k-means clustered; null for other methods.</param>
public sealed record ManifestAnchors(
    AnchorMethod Method, int Seed, int Count, string Hash, string? Path, IReadOnlyList<long> Rows,
    AnchorSource From = AnchorSource.Dataset, ManifestAnchorLock? Lock = null, Anchors.AnchorClustering? Clustering = null);

/// <summary>Every setting that shapes scores and selection.</summary>
public sealed record ManifestSettings(
    string Template, BosPolicy BosPolicy, int? AnchorMaxTokens, int? MaxExampleTokens, SelectionMode SelectionMode, double Threshold,
    int Top, double TopPercent, bool Prune, bool ExcludeAnchors, string Shard, int ContextLength, long? MaxRows = null);

/// <summary>What happened to the rows and how much work it took.</summary>
public sealed record ManifestCounts(
    long Rows, long Anchors, long AnchorRowsExcluded, long OtherShard, long Candidates, long Scored, long Selected, long Pruned,
    long Skipped, IReadOnlyDictionary<string, long> SkippedReasons, long PairsDecoded, long PairsFromCache, long ZeroShotDecoded);

/// <summary>One bar of the golden-score histogram: [From, To) (the last bar includes 1).</summary>
public sealed record HistogramBin(double From, double To, long Count);

/// <summary>How often candidates won on one anchor (among candidates that scored it).</summary>
public sealed record AnchorWinRate(long AnchorRow, long Wins, long Scored);

/// <summary>The file written and its SHA-256.</summary>
public sealed record ManifestOutput(string Path, string Sha256, long Rows);
