using Nuggets.Core;

namespace Nuggets.Native;

/// <summary>
/// The native runtime is missing, damaged, or not the build this tool was written for. It is a
/// <see cref="NuggetsException"/> so the CLI prints only the message and exits with <see cref="ExitCodes.NativeRuntime"/>
/// (README.md, "Troubleshooting"), like every other failure the user can fix.
/// </summary>
public sealed class NativeRuntimeException(string message) : NuggetsException(message, ExitCodes.NativeRuntime);
