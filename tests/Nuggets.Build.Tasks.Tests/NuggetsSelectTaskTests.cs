using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Nuggets.Build.Tasks.Tests;

/// <summary>
/// The task in-process against a stand-in tool (a shell script that records its response file and prints what the
/// real CLI prints), so the mapping from tool output to MSBuild diagnostics is checked line by line.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the stand-in tool is a bash script; the tool itself ships for linux-x64
public class NuggetsSelectTaskTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = TestPaths.NewTempDirectory("task");

    private string OutputDir => Path.Combine(_folder, "out");

    /// <summary>A stand-in tool: copies its response file to args.rsp, then runs <paramref name="body"/> (with $out set).</summary>
    private string FakeTool(string body)
    {
        var path = Path.Combine(_folder, "fake-nuggets.sh");
        File.WriteAllText(path, $$"""
            #!/bin/bash
            rsp="${1#@}"
            cp "$rsp" "{{_folder}}/args.rsp"
            out=$(grep -x -A1 -- '--output' "$rsp" | tail -n 1)
            {{body}}
            """.Replace("\r", ""));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private (NuggetsSelect Task, FakeBuildEngine Engine) NewTask(string tool)
    {
        var engine = new FakeBuildEngine();
        var task = new NuggetsSelect
        {
            BuildEngine = engine,
            ToolAssembly = tool,
            ProjectDirectory = _folder,
            OutputDirectory = "out",
            Datasets = [new TaskItem("data/a.parquet"), new TaskItem(Path.Combine(_folder, "data", "b b.parquet"))],
            Model = "models/m.gguf",
            Anchors = "random:4",
            Threshold = "0.5",
        };
        return (task, engine);
    }

    private const string WriteManifest = """
        mkdir -p "$out"
        echo "scoring 24/24 rows"
        cat > "$out/manifest.json" <<'JSON'
        {"tool":"dotnet-nuggets","counts":{"rows":24,"candidates":20,"selected":7,"skipped":2,
          "skippedReasons":{"tooLong":2},"pairsDecoded":80,"pairsFromCache":0},
         "output":{"path":"selected.parquet","sha256":"00","rows":7}}
        JSON
        touch "$out/selected.parquet"
        exit 0
        """;

    [Test]
    public void ErrorLineBecomesAnErrorWithTheExitCodesNugCodeAndTheFile()
    {
        var (task, engine) = NewTask(FakeTool("""
            echo "reading datasets"
            echo "error: /repo/data/a.parquet: column 'output' not found (columns: instruction VARCHAR)" >&2
            exit 11
            """));

        Assert.That(task.Execute(), Is.False, engine.Describe());
        Assert.That(engine.Errors, Has.Count.EqualTo(1), engine.Describe());
        var error = engine.Errors[0];
        Assert.That(error.Code, Is.EqualTo("NUG1011"));
        Assert.That(error.File, Is.EqualTo("/repo/data/a.parquet"));
        Assert.That(error.Message, Does.StartWith("column 'output' not found"));
        Assert.That(error.LineNumber, Is.Zero, "a row is not a line; it stays in the message");
        // Progress is a low-importance message, not an error or a warning.
        Assert.That(engine.Messages.Where(m => m.Message == "reading datasets").Select(m => m.Importance), Is.EqualTo(new[] { MessageImportance.Low }));
        Assert.That(engine.Errors.Select(e => e.Code), Has.None.StartWith("MSB"), "no generic 'exited with code' error on top");
    }

    [Test]
    public void ExitWithoutAnErrorLineStillFailsWithTheMappedCode()
    {
        var (task, engine) = NewTask(FakeTool("echo 'Segmentation fault' >&2\nexit 139"));
        Assert.That(task.Execute(), Is.False);
        Assert.That(engine.Errors.Select(e => e.Code), Is.EqualTo(new[] { "NUG1099" }), engine.Describe());
        Assert.That(engine.Errors[0].Message, Does.Contain("139"));
    }

    [Test]
    public void SuccessReadsTheManifestWarnsAboutSkippedRowsAndOutputsTheSelection()
    {
        var (task, engine) = NewTask(FakeTool(WriteManifest));

        Assert.That(task.Execute(), Is.True, engine.Describe());
        Assert.That(engine.Errors, Is.Empty);
        var warning = engine.Warnings.Single();
        Assert.That(warning.Code, Is.EqualTo("NUG2001"));
        Assert.That(warning.File, Is.EqualTo(Path.Combine(OutputDir, "manifest.json")));
        Assert.That(warning.Message, Does.Contain("2 row(s)").And.Contain("tooLong: 2"));

        var selected = task.SelectedFiles.Single();
        Assert.That(selected.ItemSpec, Is.EqualTo(Path.Combine(OutputDir, "selected.parquet")));
        Assert.That(selected.GetMetadata("Selected"), Is.EqualTo("7"));
        Assert.That(selected.GetMetadata("Candidates"), Is.EqualTo("20"));
        Assert.That(selected.GetMetadata("Manifest"), Is.EqualTo(task.ManifestFile));
        Assert.That(engine.Messages.Any(m => m.Importance == MessageImportance.High && m.Message!.Contains("selected 7 of 20")), engine.Describe());
    }

    [Test]
    public void ResponseFileCarriesEveryArgumentWithAbsolutePaths()
    {
        var (task, engine) = NewTask(FakeTool(WriteManifest));
        task.ConfigFile = "nuggets.config.json";
        task.CachePath = ".cache/scores.duckdb";
        task.Threads = "2";
        var setting = new TaskItem("scoring.anchorMaxTokens");
        setting.SetMetadata("Value", "200");
        task.Settings = [setting, new TaskItem("scoring.bosPolicy=symmetric")];

        Assert.That(task.Execute(), Is.True, engine.Describe());
        var lines = File.ReadAllLines(Path.Combine(_folder, "args.rsp"));
        Assert.That(lines, Is.EqualTo(new[]
        {
            "run",
            "--config", Path.Combine(_folder, "nuggets.config.json"),
            "--dataset", Path.Combine(_folder, "data", "a.parquet"),
            "--dataset", $"\"{Path.Combine(_folder, "data", "b b.parquet")}\"",
            "--model", Path.Combine(_folder, "models", "m.gguf"),
            "--anchors", "random:4",
            "--threshold", "0.5",
            "--output", OutputDir,
            "--set", "output.format=parquet",
            "--cache", Path.Combine(_folder, ".cache", "scores.duckdb"),
            "--threads", "2",
            "--set", "scoring.anchorMaxTokens=200",
            "--set", "scoring.bosPolicy=symmetric",
        }));
    }

    [Test]
    public void AnchorFileIsMadeAbsoluteButAMethodIsNot()
    {
        var (task, _) = NewTask("unused");
        task.Anchors = "anchors/picked.jsonl";
        Assert.That(task.BuildArguments(), Does.Contain(Path.Combine(_folder, "anchors", "picked.jsonl")));
        task.Anchors = "kmeans:100";
        Assert.That(task.BuildArguments(), Does.Contain("kmeans:100"));
    }

    [Test]
    public void TwoSelectionModesAreAConfigErrorBeforeTheToolRuns()
    {
        var (task, engine) = NewTask(FakeTool("touch \"" + _folder + "/ran\"; exit 0"));
        task.Top = "100";
        Assert.That(task.Execute(), Is.False);
        Assert.That(engine.Errors.Select(e => e.Code), Is.EqualTo(new[] { "NUG1001" }), engine.Describe());
        Assert.That(engine.Errors[0].Message, Does.Contain("NuggetsThreshold").And.Contain("NuggetsTop"));
        Assert.That(File.Exists(Path.Combine(_folder, "ran")), Is.False, "the tool never started");
    }

    [Test]
    public void MissingToolNamesTheOverrides()
    {
        var (task, engine) = NewTask(Path.Combine(_folder, "nowhere", "dotnet-nuggets.dll"));
        Assert.That(task.Execute(), Is.False);
        Assert.That(engine.Errors.Single().Message, Does.Contain("NuggetsToolPath").And.Contain("NUGGETS_TOOL"));
    }

    [Test]
    public void SuccessWithoutAManifestIsAnError()
    {
        var (task, engine) = NewTask(FakeTool("exit 0"));
        Assert.That(task.Execute(), Is.False);
        Assert.That(engine.Errors.Select(e => e.Code), Is.EqualTo(new[] { "NUG1031" }), engine.Describe());
    }
}
