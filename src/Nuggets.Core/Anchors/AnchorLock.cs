namespace Nuggets.Core.Anchors;

/// <summary>
/// The content of an anchor lock file: the anchors a pick chose, by content hash and in pruning order, with how they
/// were chosen and a sketch of the rows they were chosen from (to tell how far the data has moved since).
/// </summary>
/// <param name="About">A sentence for people who find the file in their repository.</param>
/// <param name="Version">Format version (<see cref="CurrentVersion"/>).</param>
/// <param name="Choice">The settings of the pick.</param>
/// <param name="Anchors">The anchors' content hashes, in order.</param>
/// <param name="Rows">Rows that could be anchors when the pick was made.</param>
/// <param name="Clustering">What k-means clustered; null for a random pick.</param>
/// <param name="Sketch">The rows' <see cref="RowSketch"/> in its text form.</param>
public sealed record AnchorLock(
    string About, int Version, AnchorChoice Choice, IReadOnlyList<string> Anchors, long Rows, AnchorClustering? Clustering, string Sketch)
{
    /// <summary>The format this version writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The text of <see cref="About"/>.</summary>
    public const string AboutText =
        "Anchors pinned by dotnet nuggets: commit this file with the data so that every run and machine scores against the same anchors. " +
        "`dotnet nuggets anchors --refresh` picks them again (every pair is then rescored).";
}
