using System.Net;
using Nuggets.Core;

namespace Nuggets.Hub;

/// <summary>
/// Turns the Hub's error answers into one clear message and exit code each. The Hub says what is missing in
/// <c>X-Error-Code</c> (<c>RepoNotFound</c>, <c>RevisionNotFound</c>, <c>EntryNotFound</c>, <c>GatedRepo</c>) and why in
/// <c>X-Error-Message</c>; a private repository answers 401 <c>RepoNotFound</c> to a request without a token.
/// </summary>
internal static class HubErrors
{
    public static NuggetsException For(HttpResponseMessage response, string what, HubRepo repo, bool hasToken)
    {
        var code = Header(response, "X-Error-Code");
        var said = Header(response, "X-Error-Message") is { } message ? $" (the Hub says: {OneLine(message)})" : "";
        var status = (int)response.StatusCode;
        var tokenHint = hasToken
            ? "the token in HF_TOKEN has no access to it: request access on its page, or use a token of an account that has it"
            : "set HF_TOKEN to an access token of an account that has accepted its conditions";
        return (response.StatusCode, code) switch
        {
            (_, "GatedRepo") or (HttpStatusCode.Forbidden, _) or (HttpStatusCode.Unauthorized, not "RepoNotFound" and not "RevisionNotFound" and not "EntryNotFound") =>
                new NuggetsException($"{repo.Display} is gated or private (HTTP {status}) reading {what}: {tokenHint}.{said}", ExitCodes.HubAccessDenied),
            (_, "RevisionNotFound") => new NuggetsException($"{what}: no such revision in {repo.Display} (HTTP {status}).{said}", ExitCodes.HubNotFound),
            (_, "EntryNotFound") => new NuggetsException($"{what}: no such file in {repo.Display} (HTTP {status}).{said}", ExitCodes.HubNotFound),
            (_, "RepoNotFound") or (HttpStatusCode.NotFound, _) => new NuggetsException(
                $"{what}: the repository {repo.Display} (or the revision or file) was not found (HTTP {status})" +
                (hasToken ? "." : "; if it is private, set HF_TOKEN.") + said, ExitCodes.HubNotFound),
            (HttpStatusCode.TooManyRequests, _) => new NuggetsException(
                $"the Hub kept answering 429 (too many requests) for {what} after {HubHttp.MaxAttempts} tries; wait and rerun (a token in HF_TOKEN raises the limits).{said}",
                ExitCodes.HubRateLimited),
            _ => new NuggetsException($"{what}: the Hub answered HTTP {status} {response.ReasonPhrase}.{said}", ExitCodes.HubDownload),
        };
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    // A header is the server's text: one line, bounded, so it cannot forge further lines of our output.
    private static string OneLine(string text)
    {
        var line = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
