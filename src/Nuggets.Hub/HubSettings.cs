namespace Nuggets.Hub;

/// <summary>
/// Where the Hub is, who asks, and where files go — from the environment variables huggingface_hub reads, so both tools
/// share one cache and one login: <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c> (else the token file <c>hf auth login</c> wrote),
/// <c>HF_HUB_OFFLINE</c>, <c>HF_HUB_CACHE</c>, <c>HF_HOME</c>.
/// </summary>
/// <param name="Endpoint">The Hub or a mirror, without a trailing slash (default https://huggingface.co).</param>
/// <param name="Token">The access token sent as <c>Authorization: Bearer</c>; null when none. Never printed or written.</param>
/// <param name="Offline">Use the cache only, never the network.</param>
/// <param name="CacheRoot">The hub cache folder holding <c>models--owner--name</c> and <c>datasets--owner--name</c>.</param>
public sealed record HubSettings(Uri Endpoint, string? Token, bool Offline, string CacheRoot)
{
    /// <summary>The public Hub.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>Reads the settings through <paramref name="variable"/> (an environment lookup; empty values count as unset).</summary>
    public static HubSettings FromEnvironment(Func<string, string?> variable)
    {
        string? Get(string name) => variable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        var home = Expand(Get("HF_HOME") ?? Path.Combine(Get("XDG_CACHE_HOME") ?? Path.Combine(UserHome(), ".cache"), "huggingface"));
        var cache = Expand(Get("HF_HUB_CACHE") ?? Get("HUGGINGFACE_HUB_CACHE") ?? Path.Combine(home, "hub"));
        var endpoint = Get("HF_ENDPOINT") ?? DefaultEndpoint;
        if (!Uri.TryCreate(endpoint.TrimEnd('/'), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new Core.NuggetsException($"HF_ENDPOINT '{endpoint}' is not an http(s) URL.", Core.ExitCodes.Config);
        var token = Get("HF_TOKEN") ?? Get("HUGGING_FACE_HUB_TOKEN") ?? TokenFile(Expand(Get("HF_TOKEN_PATH") ?? Path.Combine(home, "token")));
        var offline = Get("HF_HUB_OFFLINE")?.ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE";
        return new HubSettings(uri, token, offline, Path.GetFullPath(cache));
    }

    /// <summary>Never shows the token (records print every member by default).</summary>
    public override string ToString() => $"HubSettings {{ Endpoint = {Endpoint}, Token = {(Token is null ? "none" : "set")}, Offline = {Offline}, CacheRoot = {CacheRoot} }}";

    private static string? TokenFile(string path)
    {
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } token ? token : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null; // an unreadable token file is as good as none: public repositories still work
        }
    }

    private static string UserHome() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string Expand(string path) => path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? UserHome() + path[1..] : path;
}
