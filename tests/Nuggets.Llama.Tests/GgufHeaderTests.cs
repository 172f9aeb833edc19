using System.Buffers.Binary;
using Nuggets.Core;

namespace Nuggets.Llama.Tests;

/// <summary>Hostile model files are rejected by the tool's own header check, with a message naming the file.</summary>
public sealed class GgufHeaderTests
{
    private static string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("gguf"), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Header(uint version, ulong tensors, ulong metadata, int padding)
    {
        var bytes = new byte[24 + padding];
        "GGUF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), version);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), tensors);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), metadata);
        return bytes;
    }

    [Test]
    public void The_real_model_passes()
    {
        Assert.That(GgufHeader.Check(TestPaths.StoriesModel), Is.EqualTo(3));
    }

    [TestCase("not-gguf", "is not a GGUF model")]
    [TestCase("truncated", "too short")]
    [TestCase("absurd-counts", "more than its")]
    [TestCase("version-9", "version 9")]
    [TestCase("cut-in-half", "failed to read")] // header fine, metadata cut: llama.cpp's reader says so, the process survives
    public void A_hostile_file_is_rejected_before_llama_cpp_sees_it(string kind, string expected)
    {
        var bytes = kind switch
        {
            "not-gguf" => "PK\u0003\u0004 this is a zip, not a model"u8.ToArray(),
            "truncated" => "GGUF\u0003\0"u8.ToArray(),
            "absurd-counts" => Header(3, ulong.MaxValue / 2, 1UL << 40, 100),
            "version-9" => Header(9, 1, 1, 100),
            _ => File.ReadAllBytes(TestPaths.StoriesModel)[..2000],
        };
        var path = Write(kind + ".gguf", bytes);

        var error = Assert.Throws<ModelLoadException>(() => LlamaModel.Load(path, gpuLayers: 0));

        Assert.That(error!.Message, Does.Contain(path).And.Contain(expected));
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.Model));
    }
}
