using System.Diagnostics;
using System.Runtime.CompilerServices;
using Nuggets.Llama.Native;

namespace Nuggets.Llama.Tests;

/// <summary>statx as the model identity store sees it, checked against coreutils' stat(1) and .NET's own file APIs.</summary>
public unsafe class ModelFileStampTests
{
    [Test]
    public void StatxBufferMatchesLinuxStatH()
    {
        Assert.That(sizeof(StatxBuffer), Is.EqualTo(256), "struct statx is 0x100 bytes");
        var b = default(StatxBuffer);
        var start = (byte*)Unsafe.AsPointer(ref b);
        Assert.That((byte*)Unsafe.AsPointer(ref b.Inode) - start, Is.EqualTo(0x20), "stx_ino");
        Assert.That((byte*)Unsafe.AsPointer(ref b.Size) - start, Is.EqualTo(0x28), "stx_size");
        Assert.That((byte*)Unsafe.AsPointer(ref b.ChangedSeconds) - start, Is.EqualTo(0x60), "stx_ctime");
        Assert.That((byte*)Unsafe.AsPointer(ref b.ModifiedSeconds) - start, Is.EqualTo(0x70), "stx_mtime");
    }

    [Test]
    public void TheStampIsWhatStatSays()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("stamp"), "model.gguf");
        File.WriteAllBytes(path, new byte[12345]);
        File.SetLastWriteTimeUtc(path, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567));

        var stamp = ModelFileStamps.Of(path)!.Value;
        var stat = Stat(path, "%i %s %Y %Z");
        Assert.That(stamp.Inode.ToString(), Is.EqualTo(stat[0]));
        Assert.That(stamp.Size, Is.EqualTo(12345).And.EqualTo(long.Parse(stat[1])));
        Assert.That(stamp.ModifiedNanoseconds / 1_000_000_000, Is.EqualTo(long.Parse(stat[2])));
        Assert.That(stamp.ChangedNanoseconds / 1_000_000_000, Is.EqualTo(long.Parse(stat[3])));
        // .NET keeps 100 ns ticks: the stamp has the same time to that precision.
        Assert.That(stamp.ModifiedNanoseconds / 100, Is.EqualTo((File.GetLastWriteTimeUtc(path) - DateTime.UnixEpoch).Ticks));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ReplacingAFileByRenameChangesTheInodeAndAChmodTheChangeTime()
    {
        var dir = TestPaths.NewTempDirectory("stamp-replace");
        var path = Path.Combine(dir, "model.gguf");
        File.WriteAllBytes(path, [1, 2, 3]);
        var first = ModelFileStamps.Of(path)!.Value;

        var other = Path.Combine(dir, "other.gguf");
        File.WriteAllBytes(other, [4, 5, 6]);
        File.SetLastWriteTimeUtc(other, File.GetLastWriteTimeUtc(path));
        File.Move(other, path, overwrite: true);
        var replaced = ModelFileStamps.Of(path)!.Value;
        Assert.That(replaced.Inode, Is.Not.EqualTo(first.Inode));
        Assert.That(replaced.Size, Is.EqualTo(first.Size));

        // The change time cannot be set by a program, only moved to now: wait until the kernel's coarse clock (one
        // tick, at most 10 ms) has surely passed it, so the chmod's time differs.
        var before = replaced.ChangedNanoseconds;
        while (DateTime.UtcNow <= DateTime.UnixEpoch.AddTicks(before / 100).AddMilliseconds(20)) Thread.Sleep(5);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.That(ModelFileStamps.Of(path)!.Value.ChangedNanoseconds, Is.Not.EqualTo(before));
    }

    [Test]
    public void AMissingFileHasNoStamp() =>
        Assert.That(ModelFileStamps.Of(Path.Combine(TestPaths.NewTempDirectory("stamp-missing"), "none.gguf")), Is.Null);

    private static string[] Stat(string path, string format)
    {
        var start = new ProcessStartInfo("stat") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(format);
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Trim().Split(' ');
    }
}
