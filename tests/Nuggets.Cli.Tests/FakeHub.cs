using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nuggets.Cli.Tests;

/// <summary>
/// A Hugging Face Hub on loopback for the Hub tests (nothing leaves the machine): the endpoints huggingface_hub and the
/// tool use — <c>/api/{models|datasets}/{id}/revision/{rev}</c>, <c>/api/…/tree/{rev}/{folder}?recursive=true</c> (paged
/// by <c>Link: rel="next"</c>), <c>HEAD|GET /{datasets/}{id}/resolve/{rev}/{path}</c> (an LFS file redirects to a CDN
/// URL, with <c>X-Repo-Commit</c>, <c>X-Linked-Etag</c>, <c>X-Linked-Size</c>), ranges — its error shapes (401
/// <c>GatedRepo</c>, 404 <c>RepoNotFound</c>/<c>RevisionNotFound</c>/<c>EntryNotFound</c>, 429 <c>Retry-After</c>), and
/// faults a test switches on: a body cut midway once, a corrupted body, rate limiting. It logs every request.
/// </summary>
internal sealed class FakeHub : IDisposable
{
    /// <summary>A file of a revision; LFS files are served from the CDN path and named by their SHA-256.</summary>
    public sealed record HubFile(byte[] Content, bool Lfs)
    {
        public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Content));
        public string GitOid { get; } = Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {Content.Length}\0"), .. Content]));
        public string Etag => Lfs ? Sha256 : GitOid;
    }

    /// <summary>A repository: revisions (branch or tag → commit and files) and, when gated, the token that opens it.</summary>
    public sealed class Repo(string kind, string id, string? token = null)
    {
        public string Kind { get; } = kind;
        public string Id { get; } = id;
        public string? Token { get; } = token;
        public Dictionary<string, (string Commit, Dictionary<string, HubFile> Files)> Revisions { get; } = new(StringComparer.Ordinal);

        public Repo With(string revision, string commit, Dictionary<string, HubFile> files)
        {
            Revisions[revision] = (commit, files);
            return this;
        }
    }

    /// <summary>One request as it arrived.</summary>
    public sealed record Request(string Method, string Path, string? Authorization, string? Range);

    private const int PageSize = 2;
    private readonly HttpListener listener = new();
    // The file storage answers on another port: another origin, as the Hub's CDN is, so the token must not go there.
    private readonly HttpListener storage = new();
    private readonly List<Request> served = [];
    private bool disposed;
    private readonly List<Repo> repos = [];
    private readonly List<Request> requests = [];
    private readonly HashSet<string> cutOnce = new(StringComparer.Ordinal);
    private readonly HashSet<string> corrupt = new(StringComparer.Ordinal);
    private int rateLimited;
    private TimeSpan pause;
    private readonly ManualResetEventSlim flowing = new(initialState: true);
    private string? stalled;

    public FakeHub()
    {
        Endpoint = Start(listener);
        Storage = Start(storage);
    }

    private string Start(HttpListener server)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var url = $"http://127.0.0.1:{port}";
        server.Prefixes.Add(url + "/");
        server.Start();
        _ = Task.Run(() => ServeAsync(server));
        return url;
    }

    /// <summary>The file storage LFS files redirect to.</summary>
    public string Storage { get; }

    /// <summary>What HF_ENDPOINT is set to.</summary>
    public string Endpoint { get; }

    public FakeHub Add(Repo repo)
    {
        lock (repos) repos.Add(repo);
        return this;
    }

    /// <summary>Every request so far.</summary>
    public IReadOnlyList<Request> Requests { get { lock (requests) return [.. requests]; } }

    /// <summary>Requests answered with file content (the storage's, or a small file's resolve GET).</summary>
    public IReadOnlyList<Request> Downloads { get { lock (requests) return [.. served]; } }

    public void ClearLog() { lock (requests) { requests.Clear(); served.Clear(); } }

    /// <summary>The next download of <paramref name="file"/> sends half of what it should, then drops the connection.</summary>
    public void CutOnce(HubFile file) { lock (cutOnce) cutOnce.Add(file.Sha256); }

    /// <summary>Every download of <paramref name="file"/> has one byte changed.</summary>
    public void Corrupt(HubFile file) { lock (corrupt) corrupt.Add(file.Sha256); }

    /// <summary>The next <paramref name="count"/> requests are answered 429 with <c>Retry-After: 0</c>.</summary>
    public void RateLimit(int count) => Interlocked.Exchange(ref rateLimited, count);

    /// <summary>File bodies come in 64 KiB pieces with this pause before each (zero: all at once).</summary>
    public void Slow(TimeSpan perPiece) => pause = perPiece;

    /// <summary>
    /// The body of <paramref name="file"/> stops after its first piece until <see cref="Flow"/> (at most a minute): its
    /// download is then surely under way, however slowly the test process reads the tool's output on a busy machine.
    /// </summary>
    public void Stall(HubFile file)
    {
        stalled = file.Sha256;
        flowing.Reset();
    }

    /// <summary>Lets stalled bodies continue.</summary>
    public void Flow() => flowing.Set();

    public static string Commit(string seed) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(seed)));

    private async Task ServeAsync(HttpListener server)
    {
        while (server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await server.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleSafely(context));
        }
    }

    private void HandleSafely(HttpListenerContext context)
    {
        try
        {
            Handle(context);
        }
        catch (Exception error) when (error is HttpListenerException or IOException or ObjectDisposedException)
        {
            // the client went away
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var raw = request.RawUrl!;
        var path = raw.Split('?')[0];
        var query = raw.Contains('?') ? raw[(raw.IndexOf('?') + 1)..] : "";
        lock (requests) requests.Add(new Request(request.HttpMethod, path, request.Headers["Authorization"], request.Headers["Range"]));

        if (!path.StartsWith("/cdn/", StringComparison.Ordinal) && Interlocked.Decrement(ref rateLimited) >= 0)
        {
            response.AddHeader("Retry-After", "0");
            Error(response, 429, "RateLimited", "Too many requests");
            return;
        }

        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (segments[0] == "cdn") { ServeBlob(context, segments[1]); return; }
        if (segments[0] == "api" && segments.Length >= 6) { Api(context, segments, query); return; }

        var kind = segments[0] == "datasets" ? "datasets" : "models";
        var rest = kind == "datasets" ? segments[1..] : segments;
        if (rest.Length >= 5 && rest[2] == "resolve") { Resolve(context, kind, $"{rest[0]}/{rest[1]}", rest[3], string.Join('/', rest[4..])); return; }
        Error(response, 404, null, "no such route");
    }

    private void Api(HttpListenerContext context, string[] s, string query)
    {
        var response = context.Response;
        if (!Find(context, s[1], $"{s[2]}/{s[3]}", s[5], out var repo, out var revision)) return;
        if (s[4] == "revision")
        {
            Json(response, new { id = repo.Id, sha = revision.Commit, siblings = revision.Files.Keys.Order(StringComparer.Ordinal).Select(f => new { rfilename = f }) });
            return;
        }
        var folder = string.Join('/', s[6..]);
        if (folder.Length > 0 && !revision.Files.Keys.Any(f => f.StartsWith(folder + "/", StringComparison.Ordinal)))
        {
            Error(response, 404, "EntryNotFound", $"{folder} does not exist on \"{s[5]}\"");
            return;
        }
        var entries = revision.Files
            .Where(f => folder.Length == 0 || f.Key.StartsWith(folder + "/", StringComparison.Ordinal))
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => (object)(f.Value.Lfs
                ? new { type = "file", oid = f.Value.GitOid, size = f.Value.Content.Length, path = f.Key, lfs = new { oid = f.Value.Sha256, size = f.Value.Content.Length, pointerSize = 134 } }
                : new { type = "file", oid = f.Value.GitOid, size = f.Value.Content.Length, path = f.Key }))
            .Prepend(new { type = "directory", oid = "0000000000000000000000000000000000000000", size = 0, path = folder.Length == 0 ? "." : folder })
            .ToList();
        var cursor = query.Split('&').FirstOrDefault(p => p.StartsWith("cursor=", StringComparison.Ordinal)) is { } c ? int.Parse(c[7..]) : 0;
        if (cursor + PageSize < entries.Count)
            response.AddHeader("Link", $"<{Endpoint}{context.Request.RawUrl!.Split('?')[0]}?recursive=true&cursor={cursor + PageSize}>; rel=\"next\"");
        Json(response, entries.Skip(cursor).Take(PageSize));
    }

    private void Resolve(HttpListenerContext context, string kind, string id, string revisionName, string file)
    {
        var response = context.Response;
        if (!Find(context, kind, id, revisionName, out _, out var revision)) return;
        if (!revision.Files.TryGetValue(file, out var content))
        {
            Error(response, 404, "EntryNotFound", $"{file} does not exist");
            return;
        }
        response.AddHeader("X-Repo-Commit", revision.Commit);
        if (content.Lfs)
        {
            // The Hub's own answer names the LFS object; its storage (here /cdn) serves the bytes.
            response.AddHeader("X-Linked-Etag", $"\"{content.Sha256}\"");
            response.AddHeader("X-Linked-Size", content.Content.Length.ToString());
            response.AddHeader("ETag", $"\"{content.GitOid}\"");
            response.StatusCode = 302;
            response.RedirectLocation = $"{Storage}/cdn/{content.Sha256}";
            response.ContentLength64 = 0;
            response.Close();
            return;
        }
        response.AddHeader("ETag", $"\"{content.GitOid}\"");
        Body(context, content);
    }

    private void ServeBlob(HttpListenerContext context, string sha)
    {
        HubFile? file;
        lock (repos) file = repos.SelectMany(r => r.Revisions.Values).SelectMany(v => v.Files.Values).FirstOrDefault(f => f.Sha256 == sha);
        if (file is null) { Error(context.Response, 404, null, "no such object"); return; }
        Body(context, file);
    }

    private void Body(HttpListenerContext context, HubFile file)
    {
        var response = context.Response;
        var content = file.Content;
        bool isCorrupt, cut;
        lock (corrupt) isCorrupt = corrupt.Contains(file.Sha256);
        lock (cutOnce) cut = context.Request.HttpMethod == "GET" && cutOnce.Remove(file.Sha256);
        if (isCorrupt)
        {
            content = [.. content];
            content[content.Length / 2] ^= 0xFF;
        }
        long from = 0;
        if (context.Request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            from = long.Parse(range[6..^1]);
            if (from >= content.Length)
            {
                response.AddHeader("Content-Range", $"bytes */{content.Length}");
                response.StatusCode = 416;
                response.ContentLength64 = 0;
                response.Close();
                return;
            }
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {from}-{content.Length - 1}/{content.Length}");
        }
        response.AddHeader("Accept-Ranges", "bytes");
        response.ContentLength64 = content.Length - from;
        if (context.Request.HttpMethod == "HEAD") { response.Close(); return; }
        lock (requests) served.Add(new Request("GET", context.Request.RawUrl!.Split('?')[0], context.Request.Headers["Authorization"], context.Request.Headers["Range"]));
        var sent = cut ? (content.Length - from) / 2 : content.Length - from;
        for (long at = 0; at < sent; at += 65536)
        {
            if (at > 0 && file.Sha256 == stalled) flowing.Wait(TimeSpan.FromMinutes(1));
            if (pause > TimeSpan.Zero) Thread.Sleep(pause);
            response.OutputStream.Write(content, (int)(from + at), (int)Math.Min(65536, sent - at));
            response.OutputStream.Flush();
        }
        if (cut) response.Abort(); // the connection drops with the body half sent
        else response.Close();
    }

    private bool Find(HttpListenerContext context, string kind, string id, string revisionName, out Repo repo, out (string Commit, Dictionary<string, HubFile> Files) revision)
    {
        revision = default;
        lock (repos) repo = repos.FirstOrDefault(r => r.Kind == kind && r.Id == id)!;
        if (repo is null)
        {
            Error(context.Response, 401, "RepoNotFound", "Repository not found");
            return false;
        }
        if (repo.Token is { } token && context.Request.Headers["Authorization"] != $"Bearer {token}")
        {
            Error(context.Response, 401, "GatedRepo", $"Access to {kind[..^1]} {id} is restricted. You must have access to it and be authenticated to access it.");
            return false;
        }
        var found = repo.Revisions.TryGetValue(revisionName, out revision)
            || repo.Revisions.Values.Any(r => r.Commit == revisionName) && (revision = repo.Revisions.Values.First(r => r.Commit == revisionName)) != default;
        if (!found) Error(context.Response, 404, "RevisionNotFound", $"Invalid rev id: {revisionName}");
        return found;
    }

    private static void Error(HttpListenerResponse response, int status, string? code, string message)
    {
        if (code is not null) response.AddHeader("X-Error-Code", code);
        response.AddHeader("X-Error-Message", message);
        Json(response, new { error = message }, status);
    }

    private static void Json(HttpListenerResponse response, object body, int status = 200)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        flowing.Set(); // no handler stays parked on a stall
        listener.Close();
        storage.Close();
    }
}
