using Nuggets.Hub;

namespace Nuggets.Hub.Tests;

/// <summary>When the endpoint cannot be reached, every way it fails ends as "unreachable" after the bounded tries, so a cached copy can stand in.</summary>
public sealed class HubHttpTests
{
    private sealed class FailingHandler(Func<Exception> failure) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            throw failure();
        }
    }

    private static (HubHttp Http, FailingHandler Handler, List<TimeSpan> Waits) With(Func<Exception> failure)
    {
        var handler = new FailingHandler(failure);
        var waits = new List<TimeSpan>();
        var settings = new HubSettings(new Uri("http://127.0.0.1:9"), null, false, TestPaths.NewTempDirectory("hub-http"));
        var http = new HubHttp(new HttpMessageInvoker(handler), settings, (pause, _) => { waits.Add(pause); return Task.CompletedTask; });
        return (http, handler, waits);
    }

    // A connect timeout of SocketsHttpHandler is a cancellation the caller did not ask for, wrapping a TimeoutException.
    [TestCase("refused")]
    [TestCase("connect timeout")]
    public void A_failed_connection_is_retried_then_reported_unreachable(string how)
    {
        var (http, handler, waits) = With(() => how == "refused"
            ? new HttpRequestException("Connection refused")
            : new TaskCanceledException("The operation was canceled.", new TimeoutException("connect timed out")));

        var error = Assert.ThrowsAsync<HubUnreachableException>(() =>
            http.SendAsync(HttpMethod.Get, new Uri("http://127.0.0.1:9/api/models/o/r"), "the model", new HubRepo(HubRepoType.Model, "o/r"), CancellationToken.None))!;

        Assert.That(handler.Calls, Is.EqualTo(HubHttp.ConnectAttempts));
        Assert.That(waits, Is.EqualTo(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) }));
        Assert.That(error.Message, Does.Contain("cannot reach http://127.0.0.1:9/"));
    }

    [Test]
    public void The_callers_own_cancellation_is_not_a_failed_connection()
    {
        using var stop = new CancellationTokenSource();
        var (http, handler, _) = With(() => { stop.Cancel(); return new TaskCanceledException(); });

        Assert.CatchAsync<OperationCanceledException>(() =>
            http.SendAsync(HttpMethod.Get, new Uri("http://127.0.0.1:9/x"), "x", new HubRepo(HubRepoType.Model, "o/r"), stop.Token));
        Assert.That(handler.Calls, Is.EqualTo(1));
    }
}
