using Nuggets.Core;
using Nuggets.Core.Pipeline;

namespace Nuggets.Hub;

/// <summary>
/// Resolves <c>hf://</c> paths into files of the local Hugging Face cache: finds the commit the revision is at, picks the
/// files (a named file and, for a split GGUF, its other parts; a quantisation; a glob over the listing, falling back to
/// the Hub's Parquet conversion <c>refs/convert/parquet</c> for a dataset without Parquet files), downloads what the
/// cache lacks and links the snapshot. A revision that is a commit already complete in the cache needs no network;
/// <c>HF_HUB_OFFLINE</c> uses the cache only.
/// </summary>
public sealed class HubResolver : IDisposable
{
    /// <summary>The Hub's automatic Parquet conversion of datasets.</summary>
    public const string ParquetConversion = "refs/convert/parquet";

    private readonly HubSettings settings;
    private readonly HubCache cache;
    private readonly HttpMessageInvoker client;
    private readonly HubApi api;
    private readonly BlobDownloader downloader;
    private readonly Action<string>? notice;
    private readonly Action<string>? warning;

    /// <summary>A resolver for <paramref name="settings"/>.</summary>
    /// <param name="settings">Endpoint, token, offline flag, cache folder.</param>
    /// <param name="progress">Download progress (null: none).</param>
    /// <param name="notice">One-line notes for the user (e.g. the Parquet conversion was used).</param>
    /// <param name="warning">One-line <c>warning:</c> lines (e.g. the Hub was unreachable and the cache was used).</param>
    /// <param name="handler">The HTTP handler (tests); null: a SocketsHttpHandler that does not follow redirects itself.</param>
    public HubResolver(
        HubSettings settings, IProgress<DownloadProgress>? progress = null, Action<string>? notice = null, Action<string>? warning = null, HttpMessageHandler? handler = null)
    {
        this.settings = settings;
        this.notice = notice;
        this.warning = warning;
        cache = new HubCache(new HubCacheLayout(settings.CacheRoot));
        client = new HttpMessageInvoker(handler ?? new SocketsHttpHandler
        {
            // Redirects are followed by HubHttp, which decides where the token may go.
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });
        api = new HubApi(new HubHttp(client, settings));
        downloader = new BlobDownloader(api, cache, progress);
    }

    /// <summary>Resolves <paramref name="uri"/>, named by setting <paramref name="setting"/>, downloading what is missing.</summary>
    /// <exception cref="NuggetsException">Not found, no access, rate limited, offline and not cached, download or cache failure.</exception>
    public async Task<ResolvedHubInput> ResolveAsync(string uri, string setting, CancellationToken cancel = default) =>
        await FetchAsync(await PlanAsync(uri, setting, cancel).ConfigureAwait(false), cancel).ConfigureAwait(false);

    /// <summary>
    /// Resolves several inputs: first what each is (commits and files, so a wrong name or a missing token fails before
    /// anything is downloaded), then the downloads. Results are in the order of <paramref name="inputs"/>.
    /// </summary>
    /// <exception cref="NuggetsException">As <see cref="ResolveAsync"/>.</exception>
    public async Task<IReadOnlyList<ResolvedHubInput>> ResolveAllAsync(IReadOnlyList<(string Uri, string Setting)> inputs, CancellationToken cancel = default)
    {
        var plans = new List<Plan>();
        foreach (var (uri, setting) in inputs) plans.Add(await PlanAsync(uri, setting, cancel).ConfigureAwait(false));
        var results = new List<ResolvedHubInput>();
        foreach (var plan in plans) results.Add(await FetchAsync(plan, cancel).ConfigureAwait(false));
        return results;
    }

    /// <summary>What an input is: its files at a commit, still to be fetched, or already found whole in the cache.</summary>
    private sealed record Plan(HubReference Reference, string Setting, string Revision, string Commit, IReadOnlyList<RemoteFile> Files, ResolvedHubInput? Cached);

    private async Task<Plan> PlanAsync(string uri, string setting, CancellationToken cancel)
    {
        var reference = HubReference.Parse(uri);
        // A pinned commit whose files are all cached needs no network at all; otherwise offline is the cache or nothing.
        if (Local(reference, setting, required: settings.Offline) is { } local) return Cached(local);
        try
        {
            return await OnlineAsync(reference, setting, reference.Revision, cancel).ConfigureAwait(false);
        }
        catch (HubUnreachableException error) when (LocalAny(reference, setting) is { } fallback)
        {
            // As huggingface_hub does: no network is not a reason to fail when the cache has what the revision last was.
            warning?.Invoke($"warning: {error.Message}; using {reference.Original} as cached at commit {fallback.Manifest.Commit} " +
                "(the revision may have moved since; HF_HUB_OFFLINE=1 skips the Hub).");
            return Cached(fallback);
        }

        Plan Cached(ResolvedHubInput found) => new(reference, setting, found.Manifest.Revision, found.Manifest.Commit, [], found);
    }

    private async Task<ResolvedHubInput> FetchAsync(Plan plan, CancellationToken cancel)
    {
        if (plan.Cached is { } cached) return cached;
        var repo = plan.Reference.Repo;
        var downloaded = 0;
        foreach (var file in plan.Files)
        {
            if (await downloader.EnsureAsync(repo, plan.Commit, file, cancel).ConfigureAwait(false)) downloaded++;
            cache.Link(repo, plan.Commit, file.Path, file.BlobId);
        }
        cache.WriteRef(repo, plan.Revision, plan.Commit);
        return Result(plan.Reference, plan.Setting, plan.Revision, plan.Commit, plan.Files, downloaded);
    }

    private ResolvedHubInput? Local(HubReference reference, string setting, bool required)
    {
        // Online, only a named file at a pinned commit is taken from the cache unasked: which files a glob or a quantisation
        // means is the Hub's listing, and the cache may hold only some of them. Offline the cache is all there is.
        if (!required && !(HubCacheLayout.IsCommit(reference.Revision) && reference.Path is not null && !reference.IsGlob)) return null;
        var resolved = LocalAny(reference, setting);
        if (resolved is not null || !required) return resolved;
        throw new NuggetsException(
            $"HF_HUB_OFFLINE is set and {reference.Original} is not in the Hugging Face cache {settings.CacheRoot}" +
            $"{(cache.ReadRef(reference.Repo, reference.RevisionOrDefault) is null ? $" (no revision '{reference.RevisionOrDefault}' of {reference.Repo.Display} was ever downloaded)" : "")}; " +
            "run once without HF_HUB_OFFLINE to download it.", ExitCodes.HubOffline);
    }

    /// <summary>The input as the cache has it for its revision (or the Parquet conversion), whatever it is; null when it has none.</summary>
    private ResolvedHubInput? LocalAny(HubReference reference, string setting) =>
        LocalAt(reference, setting, reference.RevisionOrDefault)
        ?? (reference.Revision is null && reference.IsGlob && reference.Repo.Type == HubRepoType.Dataset ? LocalAt(reference, setting, ParquetConversion) : null);

    private ResolvedHubInput? LocalAt(HubReference reference, string setting, string revision)
    {
        if (cache.ReadRef(reference.Repo, revision) is not { } commit) return null;
        var present = cache.SnapshotFiles(reference.Repo, commit);
        IReadOnlyList<string> paths;
        try
        {
            paths = Pick(reference, present, commit);
        }
        catch (NuggetsException error) when (error.ExitCode == ExitCodes.HubNotFound)
        {
            return null;
        }
        if (paths.Count == 0 || paths.Any(p => !present.Contains(p, StringComparer.Ordinal))) return null;
        var files = paths.Select(p => LocalFile(reference.Repo, commit, p)).ToArray();
        return Result(reference, setting, revision, commit, files, 0);
    }

    private RemoteFile LocalFile(HubRepo repo, string commit, string path)
    {
        var file = new FileInfo(cache.Layout.SnapshotFile(repo, commit, path));
        // The blob's name is its ETag: for LFS files the SHA-256, which the manifest records as the Hub gave it.
        var blob = file.LinkTarget is { } target ? Path.GetFileName(target) : "";
        var resolved = file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? file;
        return RemoteFile.FromEtag(path, resolved.Length, blob);
    }

    private async Task<Plan> OnlineAsync(HubReference reference, string setting, string? revision, CancellationToken cancel)
    {
        var asked = revision ?? HubReference.DefaultRevision;
        var repo = reference.Repo;
        var commit = await api.CommitAsync(repo, asked, cancel).ConfigureAwait(false);
        IReadOnlyList<RemoteFile> files;
        if (reference.Path is { } path && !reference.IsGlob)
        {
            files = await DescribeAllAsync(repo, commit, GgufFiles.PartsOf(path), cancel).ConfigureAwait(false);
        }
        else
        {
            var folder = reference.Path is { } glob ? RepoGlob.Folder(glob) : "";
            var mayConvert = revision is null && repo.Type == HubRepoType.Dataset;
            IReadOnlyList<RemoteFile> listing;
            try
            {
                listing = await api.ListAsync(repo, commit, folder, cancel).ConfigureAwait(false);
            }
            catch (NuggetsException error) when (mayConvert && error.ExitCode == ExitCodes.HubNotFound)
            {
                listing = []; // the Hub answers 404 for a folder that is not there, e.g. the conversion's default/train at main
            }
            var picked = Pick(reference, listing.Select(f => f.Path).ToArray(), commit, throwWhenNone: !mayConvert);
            if (picked.Count == 0)
            {
                // A dataset without Parquet files (JSON, CSV, scripts) still has the Hub's conversion of it.
                notice?.Invoke($"nuggets: {reference.Original}: nothing matches at '{asked}'; trying the Hub's Parquet conversion ({ParquetConversion}).");
                try
                {
                    return await OnlineAsync(reference, setting, ParquetConversion, cancel).ConfigureAwait(false);
                }
                catch (NuggetsException error) when (error.ExitCode == ExitCodes.HubNotFound)
                {
                    // No conversion, or nothing matches there either: what the user must fix is the glob at the revision asked.
                    Pick(reference, listing.Select(f => f.Path).ToArray(), commit);
                    throw;
                }
            }
            var byPath = listing.ToDictionary(f => f.Path, StringComparer.Ordinal);
            // A split model's parts are named from its first part; one the listing lacks is a broken upload, not a crash.
            files = picked.Select(p => byPath.TryGetValue(p, out var file) ? file
                : throw new NuggetsException($"{reference.Original} (commit {commit[..12]}): {p} is not in {repo.Display}.", ExitCodes.HubNotFound)).ToArray();
        }

        return new Plan(reference, setting, asked, commit, files, null);
    }

    private async Task<IReadOnlyList<RemoteFile>> DescribeAllAsync(HubRepo repo, string commit, IReadOnlyList<string> paths, CancellationToken cancel)
    {
        var files = new List<RemoteFile>();
        foreach (var path in paths)
        {
            var (_, file) = await api.DescribeAsync(repo, commit, path, cancel).ConfigureAwait(false);
            files.Add(file);
        }
        return files;
    }

    /// <summary>The repository paths <paramref name="reference"/> means among <paramref name="available"/>, in reading order.</summary>
    private static IReadOnlyList<string> Pick(HubReference reference, IReadOnlyList<string> available, string commit, bool throwWhenNone = true)
    {
        var where = $"{reference.Original} (commit {commit[..12]})";
        if (reference.Path is { } path && !reference.IsGlob) return GgufFiles.PartsOf(path);
        if (reference.Repo.Type == HubRepoType.Model && reference.Path is null) return GgufFiles.Pick(available, reference.Quant, where).Parts;

        var matches = available.Where(p => RepoGlob.Matches(reference.Path!, p)).Order(StringComparer.Ordinal).ToArray();
        if (reference.Repo.Type == HubRepoType.Model) matches = matches.Where(p => !GgufFiles.IsLaterPart(p)).SelectMany(GgufFiles.PartsOf).Distinct().ToArray();
        if (matches.Length > 0 || !throwWhenNone) return matches;
        var some = available.Take(10).ToArray();
        throw new NuggetsException($"{where}: no file matches '{reference.Path}'" +
            (some.Length == 0 ? "; the repository has no files there." : $"; it has {string.Join(", ", some)}{(available.Count > some.Length ? ", …" : "")}."),
            ExitCodes.HubNotFound);
    }

    private ResolvedHubInput Result(HubReference reference, string setting, string revision, string commit, IReadOnlyList<RemoteFile> files, int downloaded)
    {
        var manifestFiles = files.Select(f => new ManifestHubFile(f.Path, cache.Layout.SnapshotFile(reference.Repo, commit, f.Path), f.Size, f.Sha256)).ToArray();
        var local = reference.Repo.Type == HubRepoType.Model && !reference.IsGlob
            ? [manifestFiles[0].LocalPath]
            : manifestFiles.Where(f => !GgufFiles.IsLaterPart(f.Path)).Select(f => f.LocalPath).ToArray();
        return new ResolvedHubInput(new ManifestHubInput(reference.Original, setting, reference.Repo.Display, revision, commit, manifestFiles), local, downloaded);
    }

    /// <inheritdoc/>
    public void Dispose() => client.Dispose();
}
