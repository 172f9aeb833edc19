namespace Nuggets.Core.Models;

/// <summary>A model file's SHA-256 and whether it was read from the identity store instead of hashing the file.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes.</param>
/// <param name="Reused">True when the file's stamp matched the one stored when it was last hashed, so it was not read.</param>
public sealed record ModelHash(string Sha256, bool Reused)
{
    /// <summary>How the manifest records it: <c>reused</c> or <c>computed</c>.</summary>
    public string Source => Reused ? "reused" : "computed";
}
