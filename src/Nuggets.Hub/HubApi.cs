using System.Net;
using System.Text.Json;
using Nuggets.Core;

namespace Nuggets.Hub;

/// <summary>
/// The Hub's HTTP API as huggingface_hub uses it: <c>GET /api/{models|datasets}/{id}/revision/{rev}</c> (the commit a
/// revision is at), <c>GET /api/{kind}/{id}/tree/{commit}/{folder}?recursive=true</c> (files with their LFS SHA-256 and
/// size, paged by <c>Link: rel="next"</c>), and <c>HEAD|GET /{datasets/}{id}/resolve/{rev}/{path}</c> (a file: its
/// <c>X-Repo-Commit</c>, its ETag — <c>X-Linked-Etag</c> on the redirect of an LFS file — and its size; ranges).
/// </summary>
internal sealed class HubApi(HubHttp http)
{
    public HubSettings Settings => http.Settings;

    /// <summary>The commit <paramref name="revision"/> of <paramref name="repo"/> is at now.</summary>
    public async Task<string> CommitAsync(HubRepo repo, string revision, CancellationToken cancel)
    {
        var uri = Api(repo, $"revision/{Uri.EscapeDataString(revision)}");
        using var response = await http.SendAsync(HttpMethod.Get, uri, $"revision '{revision}' of {repo.Display}", repo, cancel).ConfigureAwait(false);
        using var json = await ReadJsonAsync(response, repo, cancel).ConfigureAwait(false);
        return json.RootElement.TryGetProperty("sha", out var sha) && sha.GetString() is { } commit && HubCacheLayout.IsCommit(commit)
            ? commit
            : throw new NuggetsException($"The Hub's answer for revision '{revision}' of {repo.Display} has no commit hash.", ExitCodes.HubDownload);
    }

    /// <summary>Every file under <paramref name="folder"/> (the whole repository when empty) at <paramref name="commit"/>.</summary>
    public async Task<IReadOnlyList<RemoteFile>> ListAsync(HubRepo repo, string commit, string folder, CancellationToken cancel)
    {
        var files = new List<RemoteFile>();
        Uri? next = Api(repo, $"tree/{commit}{(folder.Length > 0 ? "/" + EscapePath(folder) : "")}?recursive=true");
        while (next is not null)
        {
            using var response = await http.SendAsync(HttpMethod.Get, next, $"the file list of {repo.Display}", repo, cancel).ConfigureAwait(false);
            using var json = await ReadJsonAsync(response, repo, cancel).ConfigureAwait(false);
            foreach (var entry in json.RootElement.EnumerateArray())
            {
                if (entry.GetProperty("type").GetString() != "file") continue;
                var path = entry.GetProperty("path").GetString()!;
                if (entry.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object)
                {
                    var sha = lfs.GetProperty("oid").GetString()!.ToLowerInvariant();
                    files.Add(new RemoteFile(path, lfs.GetProperty("size").GetInt64(), sha, sha));
                }
                else
                {
                    files.Add(new RemoteFile(path, entry.GetProperty("size").GetInt64(), entry.GetProperty("oid").GetString()!, null));
                }
            }
            next = NextPage(response);
        }
        foreach (var file in files) HubReference.CheckRepoPath(file.Path, repo.Display);
        return files;
    }

    /// <summary>
    /// What the Hub says of one file at <paramref name="revision"/>: the commit, ETag and size (HEAD, the storage redirect
    /// not followed, since the Hub's own answer carries <c>X-Linked-Etag</c> and <c>X-Linked-Size</c>).
    /// </summary>
    public async Task<(string? Commit, RemoteFile File)> DescribeAsync(HubRepo repo, string revision, string path, CancellationToken cancel)
    {
        using var response = await http.SendAsync(HttpMethod.Head, Resolve(repo, revision, path), $"{path} in {repo.Display}", repo, cancel,
            followRedirects: false).ConfigureAwait(false);
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        var etag = Header("X-Linked-Etag") ?? response.Headers.ETag?.Tag ?? Header("ETag");
        var size = long.TryParse(Header("X-Linked-Size"), out var linked) ? linked : response.Content.Headers.ContentLength;
        if (etag is null || size is null)
            throw new NuggetsException($"The Hub gave no ETag or size for {path} in {repo.Display}; it cannot be cached or verified.", ExitCodes.HubDownload);
        return (Header("X-Repo-Commit"), RemoteFile.FromEtag(path, size.Value, Unquote(etag)));
    }

    /// <summary>
    /// Starts reading <paramref name="path"/> at <paramref name="commit"/> from byte <paramref name="offset"/> (a range
    /// request when above 0); redirects to the file's storage are followed. A 416 answer is returned, not thrown.
    /// </summary>
    public Task<HttpResponseMessage> OpenAsync(HubRepo repo, string commit, string path, long offset, CancellationToken cancel) =>
        http.SendAsync(HttpMethod.Get, Resolve(repo, commit, path), $"{path} in {repo.Display}", repo, cancel,
            headers: offset > 0 ? h => h.Range = new System.Net.Http.Headers.RangeHeaderValue(offset, null) : null,
            accept: r => r.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable);

    private Uri Api(HubRepo repo, string rest) => new($"{Settings.Endpoint.AbsoluteUri.TrimEnd('/')}/api/{repo.Kind}/{repo.Id}/{rest}");

    private Uri Resolve(HubRepo repo, string revision, string path) =>
        new($"{Settings.Endpoint.AbsoluteUri.TrimEnd('/')}/{repo.ResolvePrefix}{repo.Id}/resolve/{Uri.EscapeDataString(revision)}/{EscapePath(path)}");

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static string Unquote(string etag)
    {
        var tag = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        return tag.Trim('"');
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, HubRepo repo, CancellationToken cancel)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(body, cancellationToken: cancel).ConfigureAwait(false);
        }
        catch (JsonException error)
        {
            throw new NuggetsException($"The Hub's answer about {repo.Display} is not valid JSON: {error.Message}", ExitCodes.HubDownload, error);
        }
    }

    private Uri? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var parts = link.Split(';');
            if (parts.Skip(1).Any(p => p.Trim() is "rel=\"next\"" or "rel=next") && parts[0].Trim().Trim('<', '>') is var target
                && Uri.TryCreate(Settings.Endpoint, target, out var next))
                return next;
        }
        return null;
    }
}
