using System.Runtime.InteropServices;

namespace Nuggets.Llama.Native;

/// <summary>Sampler chains (llama.h "Sampling API").</summary>
internal static unsafe partial class LlamaNative
{
    [LibraryImport(Library, EntryPoint = "llama_sampler_chain_default_params")]
    internal static partial LlamaSamplerChainParams SamplerChainDefaultParams();

    [LibraryImport(Library, EntryPoint = "llama_sampler_chain_init")]
    internal static partial SafeLlamaSamplerHandle SamplerChainInit(LlamaSamplerChainParams parameters);

    /// <summary>The chain takes ownership of <paramref name="sampler"/>.</summary>
    [LibraryImport(Library, EntryPoint = "llama_sampler_chain_add")]
    internal static partial void SamplerChainAdd(SafeLlamaSamplerHandle chain, IntPtr sampler);

    [LibraryImport(Library, EntryPoint = "llama_sampler_init_greedy")]
    internal static partial IntPtr SamplerInitGreedy();

    [LibraryImport(Library, EntryPoint = "llama_sampler_init_dist")]
    internal static partial IntPtr SamplerInitDist(uint seed);

    [LibraryImport(Library, EntryPoint = "llama_sampler_init_top_k")]
    internal static partial IntPtr SamplerInitTopK(int k);

    [LibraryImport(Library, EntryPoint = "llama_sampler_init_top_p")]
    internal static partial IntPtr SamplerInitTopP(float p, nuint minKeep);

    [LibraryImport(Library, EntryPoint = "llama_sampler_init_temp")]
    internal static partial IntPtr SamplerInitTemp(float temperature);

    [LibraryImport(Library, EntryPoint = "llama_sampler_sample")]
    internal static partial int SamplerSample(SafeLlamaSamplerHandle sampler, SafeLlamaContextHandle context, int index);

    [LibraryImport(Library, EntryPoint = "llama_sampler_free")]
    internal static partial void SamplerFree(IntPtr sampler);
}
