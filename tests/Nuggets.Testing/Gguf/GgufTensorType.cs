namespace Nuggets.Testing.Gguf;

/// <summary>The ggml tensor types the writer can produce (values are <c>enum ggml_type</c>).</summary>
public enum GgufTensorType
{
    /// <summary>32-bit float.</summary>
    F32 = 0,
    /// <summary>16-bit IEEE half.</summary>
    F16 = 1,
    /// <summary>Blocks of 32 int8 values with one half-precision scale (34 bytes per block).</summary>
    Q8_0 = 8,
}
