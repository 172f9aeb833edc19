using System.Diagnostics;

namespace Nuggets.Native.Tests;

/// <summary>
/// eng/gpu (issue 21, docs/gpu.md): the pieces of the CUDA proof that run without a GPU. Fast ones by default: the
/// source pins against the restored bundle and the prebuilt libraries, the refusal where no GPU is found, and the
/// size of a prepared carry folder. The full prepare (self-contained publish + compression, a few minutes on two
/// cores) and the CPU dry run (a llama.cpp build) are explicit.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GpuProveScriptTests
{
    private static string Script(string name) => Path.Combine(TestPaths.RepoRoot, "eng", "gpu", name);

    private static string Bundle => Path.Combine(TestPaths.RepoRoot, "artifacts", "obj", "native-restore", "headers", "package", "llama", "gitRelease.bundle");

    [Test]
    public void PinnedCommitIsTheBundlesAndTheNpmBuildsRelease()
    {
        if (!File.Exists(Bundle)) RequiredTool.Missing($"no restored bundle at {Bundle}: run eng/restore-native.sh --force");
        var result = Bash(Script("prepare.sh"), ["--check-source"]);
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        var commit = Pin("bundle_commit");
        Assert.That(commit, Does.Match("^[0-9a-f]{40}$"));
        Assert.That(result.Stdout, Does.Contain(commit).And.Contain($"release {Pin("release")}"));
    }

    [Test]
    public void AnotherPinnedCommitIsRefused()
    {
        if (!File.Exists(Bundle)) RequiredTool.Missing($"no restored bundle at {Bundle}: run eng/restore-native.sh --force");
        var pins = Path.Combine(TestPaths.NewTempDirectory("gpu-pins"), "pins.txt");
        File.WriteAllLines(pins, File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "eng", "gpu", "pins.txt"))
            .Select(l => l.StartsWith("bundle_commit=", StringComparison.Ordinal) ? "bundle_commit=" + new string('0', 40) : l));
        var result = Bash(Script("prepare.sh"), ["--check-source"], new() { ["NUGGETS_GPU_PINS"] = pins });
        Assert.That(result.ExitCode, Is.EqualTo(4), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("bundle HEAD is " + Pin("bundle_commit")));
    }

    [TestCase(null, "nvidia-smi not found")]
    [TestCase("echo 'No devices were found'; exit 6", "nvidia-smi lists no device")]
    [TestCase("exit 0", "nvidia-smi lists no device")]
    public void RefusesInOneLineWhereNoGpuIsFound(string? fakeNvidiaSmi, string reason)
    {
        // A PATH with only what the script needs before its GPU check, and a stand-in nvidia-smi (or none).
        var bin = TestPaths.NewTempDirectory("gpu-nogpu");
        foreach (var tool in new[] { "dirname", "nproc", "grep", "head" })
            File.CreateSymbolicLink(Path.Combine(bin, tool), Which(tool));
        if (fakeNvidiaSmi is not null)
        {
            File.WriteAllText(Path.Combine(bin, "nvidia-smi"), "#!/bin/sh\n" + fakeNvidiaSmi + "\n");
            File.SetUnixFileMode(Path.Combine(bin, "nvidia-smi"), (UnixFileMode)0b111_101_101);
        }
        var work = TestPaths.NewTempDirectory("gpu-nogpu-work");
        var result = Bash(Script("prove.sh"), [], new() { ["PATH"] = bin, ["NUGGETS_GPU_WORK"] = work, ["OUT"] = Path.Combine(work, "out") });
        Assert.That(result.ExitCode, Is.EqualTo(3), result.Stderr);
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.Stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith("prove: no NVIDIA GPU here: " + reason));
        Assert.That(Directory.EnumerateFileSystemEntries(work), Is.Empty, "refused before any work");
    }

    [Test]
    [Explicit("checks the carry folder eng/gpu/prepare.sh writes; the default suite does not prepare one")]
    public void PreparedCarryFitsTheCarryLimit()
    {
        Assert.That(File.Exists(Path.Combine(TestPaths.RepoRoot, "artifacts", "gpu", "carry", "nuggets.tar.xz")), "run eng/gpu/prepare.sh first");
        var result = Bash(Script("prepare.sh"), ["--check-size"]);
        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
        Assert.That(result.Stdout, Does.Match(@"with the tracked tree \d+\.\d MiB of 64 MiB"));
    }

    [Test]
    [Explicit("publishes the tool self-contained and compresses it: a few minutes on two cores")]
    public void PrepareWritesACarryUnderTheLimit()
    {
        var result = Bash(Script("prepare.sh"), [], timeout: TimeSpan.FromMinutes(15));
        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
        var carry = Path.Combine(TestPaths.RepoRoot, "artifacts", "gpu", "carry");
        Assert.That(File.ReadAllText(Path.Combine(carry, "llama-src.commit")).Trim(), Is.EqualTo(Pin("bundle_commit")));
        Assert.That(new DirectoryInfo(carry).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length), Is.LessThan(64L * 1024 * 1024));

        // The published tool starts with no .NET anywhere on its paths (the GPU machine has none).
        var tool = TestPaths.NewTempDirectory("gpu-tool");
        var untar = Bash("/dev/stdin", [], timeout: TimeSpan.FromMinutes(5), input: $"tar xJf '{Path.Combine(carry, "nuggets.tar.xz")}' -C '{tool}'");
        Assert.That(untar.ExitCode, Is.Zero, untar.Stderr);
        var version = Bash("/dev/stdin", [], new() { ["PATH"] = "/nonexistent", ["DOTNET_ROOT"] = "/nonexistent" },
            input: $"exec /usr/bin/env -i PATH=/nonexistent DOTNET_ROOT=/nonexistent '{Path.Combine(tool, "dotnet-nuggets")}' --version");
        Assert.That(version.ExitCode, Is.Zero, version.Stderr);
        Assert.That(version.Stdout, Does.Match(@"^\d+\.\d+\.\d+"));
    }

    [Test]
    [Explicit("builds libllama, libggml and the CPU backend from the pinned source: ~10+ minutes on two cores")]
    public void DryRunBuildsTheCpuSetAndAgreesWithTheNpmBuild()
    {
        var result = Bash(Script("prove.sh"), ["--dry-run"], new() { ["NUGGETS_GPU_BENCH"] = "0", ["NUGGETS_GPU_JOBS"] = "2" },
            timeout: TimeSpan.FromMinutes(60));
        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
        var agreement = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "artifacts", "gpu", "out", "agreement.json"));
        Assert.That(agreement, Does.Contain("\"pairs_missing_on_one_side\": 0"));
    }

    private static string Pin(string key) =>
        File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "eng", "gpu", "pins.txt")).Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];

    private static string Which(string tool) =>
        new[] { "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).First(File.Exists);

    private sealed record Result(int ExitCode, string Stdout, string Stderr);

    private static Result Bash(string script, string[] args, Dictionary<string, string>? env = null, TimeSpan? timeout = null, string? input = null)
    {
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? []) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        process.StandardInput.Write(input ?? "");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(script)} {string.Join(' ', args)} did not finish in time");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
