using System.Runtime.InteropServices;

namespace Nuggets.Llama.Native;

/// <summary><c>struct llama_batch</c> (passed by value to <c>llama_decode</c>); the arrays are owned by <see cref="TokenBatch"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaBatchNative
{
    public int NTokens;
    public int* Token;
    public float* Embd;
    public int* Pos;
    public int* NSeqId;
    public int** SeqId;
    public sbyte* Logits;
}
