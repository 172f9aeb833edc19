using Microsoft.Win32.SafeHandles;

namespace Nuggets.Llama.Native;

/// <summary>Owns a <c>llama_context*</c>; freed with <c>llama_free</c>.</summary>
internal sealed class SafeLlamaContextHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        LlamaNative.Free(handle);
        return true;
    }
}
