using Nuggets.Core;

namespace Nuggets.Native.Tests;

/// <summary>
/// The pins live in Nuggets.Native, not in the domain: the embedded lists are exactly eng/native/*/native-files.sha256,
/// and <see cref="NativeFileCheck"/> tells a missing file from another build (README.md, "Native runtime").
/// </summary>
public sealed class NativeFileCheckTests
{
    [Test]
    public void EmbeddedPinsAreTheFilesInEng()
    {
        Assert.That(NativeFileCheck.PinnedHashes, Is.EquivalentTo(Read("cpu")));
        // The CUDA build shares libduckdb.so with the CPU build, so its list carries that pin too.
        Assert.That(NativeFileCheck.PinnedCudaHashes, Is.EquivalentTo(Read("cuda").Append(Read("cpu").Single(p => p.Key == "libduckdb.so"))));
    }

    [Test]
    public void CoreEmbedsNoPins() =>
        Assert.That(typeof(NuggetsException).Assembly.GetManifestResourceNames(), Is.Empty, "Nuggets.Core knows nothing native");

    [Test]
    public void EmptyFolderHasEveryFileMissing()
    {
        var folder = TestPaths.NewTempDirectory("native-empty");
        var states = NativeFileCheck.Check(folder);
        Assert.That(states.Select(s => s.FileName), Is.EquivalentTo(NativeFileCheck.PinnedHashes.Keys));
        Assert.That(states.Select(s => s.Status), Is.All.EqualTo(NativeFileStatus.Missing));
    }

    [Test]
    public void AnotherBuildIsMismatchedAndTheCudaFolderIsCheckedAgainstTheCudaList()
    {
        var folder = TestPaths.NewTempDirectory("native-cuda");
        File.WriteAllText(Path.Combine(folder, "libllama.cuda.v0.5.0.so"), "not the pinned build");
        var states = NativeFileCheck.Check(folder);
        Assert.That(states.Select(s => s.FileName), Is.EquivalentTo(NativeFileCheck.PinnedCudaHashes.Keys));
        Assert.That(states.Single(s => s.FileName == "libllama.cuda.v0.5.0.so").Status, Is.EqualTo(NativeFileStatus.Mismatched));
        Assert.That(states.Where(s => s.FileName != "libllama.cuda.v0.5.0.so").Select(s => s.Status), Is.All.EqualTo(NativeFileStatus.Missing));
    }

    [Test]
    public void RestoredRuntimeMatchesItsPins()
    {
        var restored = Path.Combine(TestPaths.RepoRoot, "artifacts", "native", "linux-x64");
        Assume.That(File.Exists(Path.Combine(restored, ".restored")), "eng/restore-native.sh has not run in this checkout");
        Assert.That(NativeFileCheck.Check(restored).Where(s => s.Status != NativeFileStatus.Ok), Is.Empty);
    }

    [Test]
    public void LoadFailureIsANativeRuntimeErrorWithExitCode4()
    {
        var error = Assert.Throws<NativeRuntimeException>(() => NativeLibraryLoader.Load("not-a-library"))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.NativeRuntime));
    }

    private static IEnumerable<KeyValuePair<string, string>> Read(string build) =>
        File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "eng", "native", build, "native-files.sha256"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2)
            .Select(parts => KeyValuePair.Create(parts[1].TrimStart('*'), parts[0]));
}
