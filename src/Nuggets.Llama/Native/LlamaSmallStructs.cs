using System.Runtime.InteropServices;

namespace Nuggets.Llama.Native;

/// <summary><c>struct llama_sampler_chain_params</c>: one C <c>bool</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaSamplerChainParams
{
    public byte NoPerf;
}

/// <summary><c>struct llama_chat_message</c>: two NUL-terminated UTF-8 strings the caller keeps alive.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaChatMessage
{
    public byte* Role;
    public byte* Content;
}
