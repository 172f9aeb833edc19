namespace Nuggets.Core.Native;

/// <summary>The native runtime is missing, damaged, or not the build this tool was written for.</summary>
public sealed class NativeRuntimeException(string message) : NuggetsException(message, ExitCodes.NativeRuntime);
