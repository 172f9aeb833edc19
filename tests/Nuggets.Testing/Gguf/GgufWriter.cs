using System.Text;

namespace Nuggets.Testing.Gguf;

/// <summary>
/// Writes GGUF v3 files: key/value metadata, tensor infos, then 32-byte aligned tensor data. Tensor values are
/// produced on demand by a fill callback, so large random models never sit in memory twice.
/// </summary>
public sealed class GgufWriter
{
    private const int Alignment = 32;

    private enum ValueType : uint
    {
        UInt32 = 4,
        Int32 = 5,
        Float32 = 6,
        Bool = 7,
        String = 8,
        Array = 9,
    }

    private readonly List<(string Key, Action<BinaryWriter> Write)> metadata = [];
    private readonly List<Tensor> tensors = [];

    private sealed record Tensor(string Name, long[] Shape, GgufTensorType Type, Action<Span<float>> Fill)
    {
        public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
    }

    /// <summary>Adds a string value.</summary>
    public GgufWriter Add(string key, string value) => Put(key, w => { w.Write((uint)ValueType.String); WriteString(w, value); });

    /// <summary>Adds a uint32 value.</summary>
    public GgufWriter Add(string key, uint value) => Put(key, w => { w.Write((uint)ValueType.UInt32); w.Write(value); });

    /// <summary>Adds a float32 value.</summary>
    public GgufWriter Add(string key, float value) => Put(key, w => { w.Write((uint)ValueType.Float32); w.Write(value); });

    /// <summary>Adds a bool value.</summary>
    public GgufWriter Add(string key, bool value) => Put(key, w => { w.Write((uint)ValueType.Bool); w.Write(value ? (byte)1 : (byte)0); });

    /// <summary>Adds an array of strings.</summary>
    public GgufWriter Add(string key, IReadOnlyList<string> values) => Put(key, w =>
    {
        WriteArrayHeader(w, ValueType.String, values.Count);
        foreach (var value in values) WriteString(w, value);
    });

    /// <summary>Adds an array of float32.</summary>
    public GgufWriter Add(string key, IReadOnlyList<float> values) => Put(key, w =>
    {
        WriteArrayHeader(w, ValueType.Float32, values.Count);
        foreach (var value in values) w.Write(value);
    });

    /// <summary>Adds an array of int32.</summary>
    public GgufWriter Add(string key, IReadOnlyList<int> values) => Put(key, w =>
    {
        WriteArrayHeader(w, ValueType.Int32, values.Count);
        foreach (var value in values) w.Write(value);
    });

    /// <summary>
    /// Adds a tensor. <paramref name="shape"/> is in ggml order (<c>ne0</c> first, the contiguous dimension);
    /// <paramref name="fill"/> writes its values row after row, and may be called once per row chunk.
    /// </summary>
    public GgufWriter AddTensor(string name, long[] shape, GgufTensorType type, Action<Span<float>> fill)
    {
        if (type == GgufTensorType.Q8_0 && shape[0] % Q8Block.Size != 0)
            throw new ArgumentException($"Q8_0 needs the first dimension of {name} to be a multiple of {Q8Block.Size}, not {shape[0]}.");
        tensors.Add(new Tensor(name, shape, type, fill));
        return this;
    }

    /// <summary>Writes the file.</summary>
    public void Write(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write("GGUF"u8);
        writer.Write(3u);
        writer.Write((ulong)tensors.Count);
        writer.Write((ulong)metadata.Count);
        foreach (var (key, write) in metadata)
        {
            WriteString(writer, key);
            write(writer);
        }

        long offset = 0;
        foreach (var tensor in tensors)
        {
            WriteString(writer, tensor.Name);
            writer.Write((uint)tensor.Shape.Length);
            foreach (var dimension in tensor.Shape) writer.Write((ulong)dimension);
            writer.Write((uint)tensor.Type);
            writer.Write((ulong)offset);
            offset = Align(offset + ByteSize(tensor));
        }
        Pad(writer);

        foreach (var tensor in tensors)
        {
            WriteData(writer, tensor);
            Pad(writer);
        }
    }

    private static void WriteData(BinaryWriter writer, Tensor tensor)
    {
        var rowLength = (int)tensor.Shape[0];
        var rows = tensor.Elements / rowLength;
        // Fill in chunks of whole rows so a 30M-parameter tensor costs a few MB of buffer, not its full size.
        var rowsPerChunk = (int)Math.Max(1, Math.Min(rows, (1 << 20) / rowLength));
        var values = new float[rowsPerChunk * rowLength];
        var bytes = new byte[rowsPerChunk * rowLength * 4];
        for (long row = 0; row < rows; row += rowsPerChunk)
        {
            var count = (int)Math.Min(rowsPerChunk, rows - row) * rowLength;
            var span = values.AsSpan(0, count);
            tensor.Fill(span);
            var written = tensor.Type switch
            {
                GgufTensorType.F32 => Encode32(span, bytes),
                GgufTensorType.F16 => Encode16(span, bytes),
                GgufTensorType.Q8_0 => Q8Block.Encode(span, bytes),
                _ => throw new NotSupportedException(tensor.Type.ToString()),
            };
            writer.Write(bytes, 0, written);
        }
    }

    private static int Encode32(ReadOnlySpan<float> values, byte[] bytes)
    {
        for (var i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), values[i]);
        return values.Length * 4;
    }

    private static int Encode16(ReadOnlySpan<float> values, byte[] bytes)
    {
        for (var i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), (Half)values[i]);
        return values.Length * 2;
    }

    private static long ByteSize(Tensor tensor) => tensor.Type switch
    {
        GgufTensorType.F32 => tensor.Elements * 4,
        GgufTensorType.F16 => tensor.Elements * 2,
        GgufTensorType.Q8_0 => tensor.Elements / Q8Block.Size * Q8Block.Bytes,
        _ => throw new NotSupportedException(tensor.Type.ToString()),
    };

    private GgufWriter Put(string key, Action<BinaryWriter> write)
    {
        metadata.Add((key, write));
        return this;
    }

    private static void WriteArrayHeader(BinaryWriter writer, ValueType type, int count)
    {
        writer.Write((uint)ValueType.Array);
        writer.Write((uint)type);
        writer.Write((ulong)count);
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static long Align(long value) => (value + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter writer)
    {
        var position = writer.BaseStream.Position;
        for (var i = position; i < Align(position); i++) writer.Write((byte)0);
    }
}
