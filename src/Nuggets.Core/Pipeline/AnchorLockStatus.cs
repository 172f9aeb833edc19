using System.Text.Json.Serialization;

namespace Nuggets.Core.Pipeline;

/// <summary>What a run did with the anchor lock file.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnchorLockStatus>))]
public enum AnchorLockStatus
{
    /// <summary>The pinned anchors were used as they are.</summary>
    [JsonStringEnumMemberName("reused")] Reused,
    /// <summary>There was no lock: the anchors were picked and pinned (the lock written with the outputs).</summary>
    [JsonStringEnumMemberName("created")] Created,
    /// <summary><c>anchors --refresh</c>: picked again on purpose and pinned.</summary>
    [JsonStringEnumMemberName("refreshed")] Refreshed,
    /// <summary>
    /// The lock did not fit (other settings, or pinned rows gone), or a shard found none: the run picked its own anchors
    /// and left the lock as it was (only <c>anchors --refresh</c> replaces one).
    /// </summary>
    [JsonStringEnumMemberName("unpinned")] Unpinned,
}

/// <summary>The anchor lock file of a run (manifest <c>anchors.lock</c>).</summary>
/// <param name="Path">The lock file.</param>
/// <param name="Status">What the run did with it.</param>
/// <param name="Reason">Why the run's anchors are not the pinned ones (<see cref="AnchorLockStatus.Unpinned"/>), else null.</param>
/// <param name="NewRowShare">
/// Reused locks: the estimated share of today's rows that were not there when the anchors were pinned (a 256-value
/// sketch; exact below 256 rows). Null when the anchors were just picked.
/// </param>
public sealed record ManifestAnchorLock(string Path, AnchorLockStatus Status, string? Reason, double? NewRowShare);
