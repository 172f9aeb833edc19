namespace Nuggets.Core.Configuration;

/// <summary>
/// Recognises <c>hf://</c> paths (Hugging Face Hub inputs). They are not files yet: configuration keeps them as written
/// (never resolved against the config folder), and the CLI replaces them with files of the local Hub cache before a run.
/// </summary>
public static class HubPath
{
    /// <summary>The scheme prefix of a Hub path.</summary>
    public const string Scheme = "hf://";

    /// <summary>Whether <paramref name="path"/> names a Hub input rather than a local file.</summary>
    public static bool IsHub(string? path) => path is not null && path.StartsWith(Scheme, StringComparison.Ordinal);
}
