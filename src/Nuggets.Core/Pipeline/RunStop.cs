namespace Nuggets.Core.Pipeline;

/// <summary>
/// How a run is asked to stop, and the one point after which it no longer stops: the publish point, where its outputs
/// are renamed into place. A stop requested before that point cancels the run at its next safe point (an
/// <see cref="OperationCanceledException"/>) and nothing of it is published; one requested after it lets the publish
/// finish, so the output folder always holds one run's complete outputs. Thread-safe: stops come from signal handlers
/// while the run goes on.
/// </summary>
public sealed class RunStop : IDisposable
{
    private readonly Lock gate = new();
    private readonly CancellationTokenSource source = new();
    private bool requested;
    private bool pastPublishPoint;
    private CancellationTokenRegistration following;

    /// <summary>Signalled once a stop is requested; the run checks it between model calls, batches and files.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>True once a stop was requested (before or after the publish point).</summary>
    public bool Requested
    {
        get { lock (gate) return requested; }
    }

    /// <summary>True once the run passed the publish point: its outputs are being or have been moved into place.</summary>
    public bool PastPublishPoint
    {
        get { lock (gate) return pastPublishPoint; }
    }

    /// <summary>
    /// Asks the run to stop. Returns true when the request came before the publish point (the run will publish
    /// nothing); false when the outputs were already being published, in which case it returns once they are in place.
    /// </summary>
    public bool Request()
    {
        bool beforePublish;
        lock (gate)
        {
            requested = true;
            beforePublish = !pastPublishPoint;
        }
        source.Cancel();
        return beforePublish;
    }

    /// <summary>
    /// The publish point: runs <paramref name="publish"/> (renames that take microseconds) unless a stop was requested,
    /// in which case it throws <see cref="OperationCanceledException"/> and publishes nothing.
    /// </summary>
    public void Publish(Action publish)
    {
        ArgumentNullException.ThrowIfNull(publish);
        lock (gate)
        {
            if (requested) throw new OperationCanceledException("Stopped before the outputs were published.", Token);
            pastPublishPoint = true;
            publish();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> (an immediate exit) at a moment no publish is under way, so a process ended from a
    /// signal handler never leaves half of a run's outputs renamed into place. The action is told whether the run had
    /// passed the publish point, i.e. whether its outputs are in place.
    /// </summary>
    public void OutsidePublish(Action<bool> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (gate) action(pastPublishPoint);
    }

    /// <summary>A stop that follows <paramref name="cancellation"/> (for callers that only have a token).</summary>
    public static RunStop Following(CancellationToken cancellation)
    {
        var stop = new RunStop();
        if (cancellation.CanBeCanceled) stop.following = cancellation.Register(() => stop.Request());
        return stop;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The token source is left to the collector: a signal handler may still be calling <see cref="Request"/> as the run
    /// ends, and cancelling a disposed source would throw on that thread.
    /// </remarks>
    public void Dispose() => following.Dispose();
}
