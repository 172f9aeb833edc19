using System.Text.Json;
using Nuggets.Core;

namespace Nuggets.Cli.Tests;

public sealed class DoctorCommandTests
{
    [Test]
    public void Doctor_with_the_stories_model_configured_reports_every_part_and_exits_zero()
    {
        var dir = TestPaths.NewTempDirectory("doctor-ok");
        File.WriteAllText(Path.Combine(dir, "nuggets.config.json"), $$"""{ "model": { "path": "{{TestPaths.StoriesModel}}" } }""");

        var result = CliRunner.Run(dir, "doctor", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        using var report = JsonDocument.Parse(result.StdOut);
        var root = report.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("llamaBuild").GetString(), Does.Contain("0.5.0"));
            Assert.That(root.GetProperty("duckDbVersion").GetString(), Is.EqualTo("v1.5.6"));
            Assert.That(root.GetProperty("cpuVariant").GetString(), Is.Not.EqualTo("unknown").And.Not.Empty);
            Assert.That(root.GetProperty("backends").EnumerateArray().Select(b => b.GetString()), Does.Contain("CPU"));
            Assert.That(root.GetProperty("nativeFiles").EnumerateArray().Select(f => f.GetProperty("status").GetString()), Is.All.EqualTo("ok"));
            Assert.That(root.GetProperty("loadAttempts").EnumerateArray().Select(a => a.GetString()),
                Has.Some.EndsWith("libllama.v0.5.0.so: loaded").And.Some.EndsWith("libduckdb.so: loaded"));
            Assert.That(root.GetProperty("model").GetString(), Does.Contain("stories260K.gguf: loads").And.Contain("292,800 parameters"));
        });
    }

    [Test]
    public void Doctor_without_the_native_folder_names_the_file_the_folder_and_the_restore_command()
    {
        var empty = TestPaths.NewTempDirectory("no-native");

        var result = CliRunner.Run(empty, new Dictionary<string, string> { ["NUGGETS_NATIVE_DIR"] = empty }, "doctor");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.NativeRuntime), result.ToString());
        Assert.That(result.StdErr, Does.Contain("libggml-base.so").And.Contain(empty).And.Contain("eng/restore-native.sh"));
        Assert.That(result.StdErr, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void Doctor_reports_a_library_that_is_not_the_pinned_build_as_mismatched()
    {
        var native = TestPaths.NewTempDirectory("mismatched-native");
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native")))
            File.Copy(file, Path.Combine(native, Path.GetFileName(file)));
        File.AppendAllText(Path.Combine(native, "libggml-cpu-x64.so"), "tampered");

        var result = CliRunner.Run(native, new Dictionary<string, string> { ["NUGGETS_NATIVE_DIR"] = native }, "doctor", "--json");

        using var report = JsonDocument.Parse(result.StdOut);
        var states = report.RootElement.GetProperty("nativeFiles").EnumerateArray()
            .ToDictionary(f => f.GetProperty("file").GetString()!, f => f.GetProperty("status").GetString());
        Assert.That(states["libggml-cpu-x64.so"], Is.EqualTo("mismatched"));
        Assert.That(states["libllama.v0.5.0.so"], Is.EqualTo("ok"));
    }

    [Test]
    public void Doctor_with_a_model_that_does_not_load_exits_with_the_model_code()
    {
        var dir = TestPaths.NewTempDirectory("doctor-bad-model");
        File.WriteAllText(Path.Combine(dir, "not-a-model.gguf"), "this is not GGUF");
        File.WriteAllText(Path.Combine(dir, "nuggets.config.json"), """{ "model": { "path": "not-a-model.gguf" } }""");

        var result = CliRunner.Run(dir, "doctor");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Model), result.ToString());
        Assert.That(result.StdErr, Does.Contain(Path.Combine(dir, "not-a-model.gguf")));
    }

    [Test]
    public void Version_prints_the_tool_version()
    {
        var result = CliRunner.Run(Path.GetTempPath(), "--version");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdOut.Trim(), Does.StartWith(typeof(NuggetsCli).Assembly.GetName().Version!.ToString(3)));
    }
}
