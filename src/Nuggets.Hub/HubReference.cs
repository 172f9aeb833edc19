using System.Text.RegularExpressions;
using Nuggets.Core;
using Nuggets.Core.Configuration;

namespace Nuggets.Hub;

/// <summary>
/// A parsed <c>hf://</c> path: <c>hf://owner/name/path/file.gguf</c>, <c>hf://owner/name:Q4_K_M</c> (a model by
/// quantisation), <c>hf://datasets/owner/name/data/*.parquet</c>, each with an optional <c>@revision</c> after the name
/// (a branch, tag or commit; <c>refs/convert/parquet</c> and <c>refs/pr/N</c> may be written as they are or URL-encoded).
/// </summary>
/// <param name="Original">The path as written.</param>
/// <param name="Repo">The repository.</param>
/// <param name="Revision">The revision asked for; null = the default branch (<c>main</c>).</param>
/// <param name="Path">The file or glob in the repository; null when none was given.</param>
/// <param name="Quant">The quantisation asked for (models only, <c>:Q4_K_M</c>); null when none.</param>
public sealed partial record HubReference(string Original, HubRepo Repo, string? Revision, string? Path, string? Quant)
{
    /// <summary>The revision used when none is given.</summary>
    public const string DefaultRevision = "main";

    /// <summary>The revision asked for, or <c>main</c>.</summary>
    public string RevisionOrDefault => Revision ?? DefaultRevision;

    /// <summary>Whether <see cref="Path"/> is a glob (resolved through the Hub's file listing).</summary>
    public bool IsGlob => Path is not null && RepoGlob.IsGlob(Path);

    /// <summary>Parses <paramref name="uri"/>.</summary>
    /// <exception cref="NuggetsException">It is not a Hub path this tool reads (exit code Config), saying what the forms are.</exception>
    public static HubReference Parse(string uri)
    {
        if (!HubPath.IsHub(uri)) throw Invalid(uri, "it does not start with hf://");
        var rest = uri[HubPath.Scheme.Length..];
        var type = HubRepoType.Model;
        if (rest.StartsWith("datasets/", StringComparison.Ordinal)) (type, rest) = (HubRepoType.Dataset, rest["datasets/".Length..]);
        else if (rest.StartsWith("models/", StringComparison.Ordinal)) rest = rest["models/".Length..];
        else if (rest.StartsWith("spaces/", StringComparison.Ordinal)) throw Invalid(uri, "Spaces are not read; name a model or dataset repository");

        var match = Shape().Match(rest);
        if (!match.Success) throw Invalid(uri, "expected owner/name after hf:// (or hf://datasets/)");
        var repo = new HubRepo(type, $"{match.Groups["owner"].Value}/{match.Groups["name"].Value}");
        if (repo.Id.Contains("--", StringComparison.Ordinal) || repo.Id.Contains("..", StringComparison.Ordinal))
            throw Invalid(uri, "a repository id has no '--' or '..'");
        string? revision = match.Groups["rev"].Success ? Uri.UnescapeDataString(match.Groups["rev"].Value) : null;
        string? quant = match.Groups["quant"].Success ? match.Groups["quant"].Value : null;
        string? path = match.Groups["path"].Success ? match.Groups["path"].Value : null;

        if (revision is { Length: 0 }) throw Invalid(uri, "'@' must be followed by a revision (branch, tag or commit)");
        if (quant is not null && type == HubRepoType.Dataset) throw Invalid(uri, "':quantisation' applies to model repositories only");
        if (path is not null) CheckRepoPath(path, uri);
        if (type == HubRepoType.Dataset && path is null)
            throw Invalid(uri, "name the dataset's files, e.g. hf://datasets/owner/name/data/*.parquet");
        return new HubReference(uri, repo, revision, path, quant);
    }

    /// <summary>
    /// Refuses a repository path that could leave the cache folder once joined to it (<c>..</c>, absolute, backslashes,
    /// empty segments): a config file or a listing from a mirror must not aim the tool at other files.
    /// </summary>
    internal static void CheckRepoPath(string path, string source)
    {
        var segments = path.Split('/');
        if (path.Length == 0 || path.Contains('\\') || path.Contains('\0') || segments.Any(s => s is "" or "." or ".."))
            throw Invalid(source, $"the repository path '{path}' must be relative, without '.', '..', empty segments or backslashes");
    }

    private static NuggetsException Invalid(string uri, string why) => new(
        $"'{uri}' is not a Hub path this tool reads: {why}. Forms: hf://owner/name/file.gguf, hf://owner/name:Q4_K_M, " +
        "hf://owner/name@revision/file.gguf, hf://datasets/owner/name/data/*.parquet.", ExitCodes.Config);

    // owner/name, then @revision (refs/convert/… and refs/pr/N keep their slashes), then :quant (no path after it) or /path.
    [GeneratedRegex(@"^(?<owner>[A-Za-z0-9][A-Za-z0-9._-]*)/(?<name>[A-Za-z0-9][A-Za-z0-9._-]*)" +
        @"(?:@(?<rev>refs/convert/[^/:@]+|refs/pr/[0-9]+|[^/:@]*))?" +
        @"(?::(?<quant>[A-Za-z0-9_.-]+)$|/(?<path>.+)$|$)")]
    private static partial Regex Shape();
}
