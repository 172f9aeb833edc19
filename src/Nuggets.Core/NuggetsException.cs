namespace Nuggets.Core;

/// <summary>
/// A failure the user can fix (bad input, missing file, wrong setting). The CLI prints only
/// <see cref="Exception.Message"/> (no stack trace) and exits with <see cref="ExitCode"/>.
/// </summary>
public class NuggetsException(string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The process exit code for this failure (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; } = exitCode;
}
