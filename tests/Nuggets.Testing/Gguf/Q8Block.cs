namespace Nuggets.Testing.Gguf;

/// <summary>ggml's Q8_0: per block of 32 values, a half scale d = max|x|/127 and the int8 values round(x/d).</summary>
internal static class Q8Block
{
    public const int Size = 32;
    public const int Bytes = 2 + Size;

    public static int Encode(ReadOnlySpan<float> values, byte[] bytes)
    {
        var written = 0;
        for (var block = 0; block < values.Length; block += Size)
        {
            var x = values.Slice(block, Size);
            var amax = 0f;
            foreach (var v in x) amax = Math.Max(amax, Math.Abs(v));
            var d = amax / 127f;
            var inverse = d == 0 ? 0 : 1f / d;
            BitConverter.TryWriteBytes(bytes.AsSpan(written), (Half)d);
            written += 2;
            foreach (var v in x) bytes[written++] = unchecked((byte)(sbyte)Math.Round(v * inverse));
        }
        return written;
    }
}
