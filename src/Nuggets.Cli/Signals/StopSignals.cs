using System.Runtime.InteropServices;
using Nuggets.Core;
using Nuggets.Core.Pipeline;

namespace Nuggets.Cli.Signals;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM (CI cancellation, <c>kill</c>) during a pipeline command. The first one cancels the
/// default action — dying mid-write — and asks the run to stop at its next safe point (<see cref="RunStop"/>); the exit
/// code is then 130 for SIGINT, 143 for SIGTERM. A second one, of either kind, ends the process at once with the first
/// one's code, only never while outputs are being renamed into place. Ending at once is safe for the cache: a
/// transaction in flight never reached DuckDB's write-ahead log, so the next open simply does not see it.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly RunStop stop;
    private readonly string outputDirectory;
    private readonly PosixSignalRegistration[] registrations;
    private int firstCode; // exit code of the first signal; 0 before one arrived

    public StopSignals(RunStop stop, string outputDirectory)
    {
        this.stop = stop;
        this.outputDirectory = outputDirectory;
        registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>True once a stop signal arrived.</summary>
    public bool Received => Volatile.Read(ref firstCode) != 0;

    /// <summary>The exit code for the first signal: <see cref="ExitCodes.Cancelled"/> (SIGINT) or <see cref="ExitCodes.Terminated"/> (SIGTERM).</summary>
    public int ExitCode => Volatile.Read(ref firstCode) is var code and not 0 ? code : ExitCodes.Cancelled;

    /// <summary>The first signal's name, as the messages print it.</summary>
    public string Name => NameOf(ExitCode);

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var code = context.Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Cancelled;
        if (Interlocked.CompareExchange(ref firstCode, code, 0) == 0)
        {
            // Said at once, even with --quiet: the next safe point may be a long model call away.
            Console.Error.WriteLine($"nuggets: {NameOf(code)} received; stopping at the next safe point (a second signal exits at once).");
            stop.Request();
            return;
        }
        stop.OutsidePublish(published =>
        {
            NuggetsCli.WriteError($"second signal ({NameOf(code)}): exited at once. The cache keeps every batch committed before it " +
                "(a transaction in flight is dropped when the cache is next opened); " +
                (published ? $"this run's outputs in {outputDirectory} were already published." : $"the previous outputs in {outputDirectory} are untouched."));
            ImmediateExit.Now(ExitCode);
        });
    }

    private static string NameOf(int code) => code == ExitCodes.Terminated ? "SIGTERM" : "SIGINT";

    /// <summary>Restores the default actions.</summary>
    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
    }
}
