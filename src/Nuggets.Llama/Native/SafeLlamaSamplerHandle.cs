using Microsoft.Win32.SafeHandles;

namespace Nuggets.Llama.Native;

/// <summary>Owns a <c>llama_sampler*</c> chain; freed with <c>llama_sampler_free</c> (which frees the samplers added to it).</summary>
internal sealed class SafeLlamaSamplerHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        LlamaNative.SamplerFree(handle);
        return true;
    }
}
