using System.Net;
using System.Net.Http.Headers;
using Nuggets.Core;

namespace Nuggets.Hub;

/// <summary>
/// Sends the Hub's requests: the token only to the endpoint's own origin (a file's redirect to a CDN must not carry it),
/// redirects followed here for that reason, and 429 (honouring <c>Retry-After</c>), 5xx and connection failures retried a
/// bounded number of times with growing waits before one clear error.
/// </summary>
internal sealed class HubHttp(HttpMessageInvoker client, HubSettings settings, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    /// <summary>Tries per request before giving up (the first try and four retries).</summary>
    public const int MaxAttempts = 5;

    /// <summary>
    /// Tries when the endpoint cannot be reached at all (refused, DNS, TLS): fewer, since a machine without a network
    /// should fall back to its cache in seconds, not wait out the backoff meant for a busy server.
    /// </summary>
    public const int ConnectAttempts = 3;

    /// <summary>The longest wait between tries, whatever <c>Retry-After</c> asks: a run should fail, not hang.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    private const int MaxRedirects = 10;

    /// <summary>The longest wait for an answer's headers before the try counts as a failed connection.</summary>
    internal static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(60);

    private static bool Unreachable(Exception error, CancellationToken cancel) =>
        error is HttpRequestException || (error is OperationCanceledException && !cancel.IsCancellationRequested);

    private readonly Func<TimeSpan, CancellationToken, Task> wait = delay ?? Task.Delay;

    public HubSettings Settings { get; } = settings;

    /// <summary>
    /// Sends <paramref name="method"/> to <paramref name="uri"/> and returns the first answer that is not a redirect (or the
    /// redirect itself when <paramref name="followRedirects"/> is false), after retries; a failed answer is thrown as the
    /// Hub error it is. The caller disposes the answer.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, Uri uri, string what, HubRepo repo, CancellationToken cancel,
        Action<HttpRequestHeaders>? headers = null, bool followRedirects = true, Func<HttpResponseMessage, bool>? accept = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await SendFollowingAsync(method, uri, headers, followRedirects, cancel).ConfigureAwait(false);
            }
            // A refused or dropped connection, and equally a connect or header timeout (a firewall that drops packets
            // surfaces as a cancellation the caller did not ask for): the endpoint cannot be reached, so try again after a
            // pause, then give up as unreachable, which lets a cached copy stand in.
            catch (Exception error) when (Unreachable(error, cancel) && attempt < ConnectAttempts)
            {
                await wait(Backoff(attempt), cancel).ConfigureAwait(false);
                continue;
            }
            catch (Exception error) when (Unreachable(error, cancel))
            {
                throw new HubUnreachableException($"cannot reach {Settings.Endpoint} for {what} after {ConnectAttempts} tries: {error.Message}", error);
            }

            if (response.IsSuccessStatusCode || (int)response.StatusCode is >= 300 and < 400 || accept?.Invoke(response) == true) return response;
            var retry = response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode is 500 or 502 or 503 or 504;
            if (!retry || attempt >= MaxAttempts)
            {
                using (response) throw HubErrors.For(response, what, repo, Settings.Token is not null);
            }
            var pause = RetryAfter(response) ?? Backoff(attempt);
            response.Dispose();
            await wait(pause < MaxWait ? pause : MaxWait, cancel).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendFollowingAsync(
        HttpMethod method, Uri uri, Action<HttpRequestHeaders>? headers, bool followRedirects, CancellationToken cancel)
    {
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.UserAgent.ParseAdd("dotnet-nuggets");
            // Sizes and hashes are of the bytes stored, so never let a server compress them on the way.
            request.Headers.AcceptEncoding.ParseAdd("identity");
            if (Settings.Token is { } token && SameOrigin(uri, Settings.Endpoint))
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            headers?.Invoke(request.Headers);
            // The headers must come within HeadersTimeout: a server that accepts the connection and then stalls must not
            // hang the run (the token only covers the wait for the headers; the body is read with the caller's token).
            using var headersDue = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            headersDue.CancelAfter(HeadersTimeout);
            var response = await client.SendAsync(request, headersDue.Token).ConfigureAwait(false);
            var location = response.Headers.Location;
            var redirect = (int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && location is not null;
            // Without following, only a relative redirect (a renamed repository on the Hub itself) is taken: an absolute
            // one goes to the file's storage, and its headers are the ones that describe the file.
            if (!redirect || hop >= MaxRedirects || (!followRedirects && location!.IsAbsoluteUri)) return response;
            uri = location!.IsAbsoluteUri ? location : new Uri(uri, location);
            response.Dispose();
        }
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>1, 2, 4, 8 s: enough for a brief outage, bounded so a dead mirror fails in seconds.</summary>
    internal static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
            _ => null,
        };
}

/// <summary>The endpoint could not be reached at all (no answer, as opposed to an error answer).</summary>
internal sealed class HubUnreachableException(string message, Exception inner) : NuggetsException(message, ExitCodes.HubDownload, inner);
