using Microsoft.Build.Utilities;

namespace Nuggets.Build.Tasks.Tests;

/// <summary>
/// Cancelling the task (what MSBuild does on Ctrl-C or a cancelled CI job): the tool is sent SIGTERM so it can commit its
/// work and exit 143 on its own, and is killed only when it does not exit within <see cref="NuggetsSelect.StopTimeout"/>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // signals; the tool itself ships for linux-x64
public class TaskCancelTests
{
    [Test]
    public void Cancel_stops_the_real_tool_with_SIGTERM_and_reports_its_line_as_NUG1091()
    {
        var folder = TestPaths.NewTempDirectory("task-cancel");
        File.WriteAllLines(Path.Combine(folder, "data.jsonl"), DataRepo.ShortAlpacaRows(0, 6));
        var engine = new FakeBuildEngine();
        var task = new NuggetsSelect
        {
            BuildEngine = engine,
            ToolAssembly = Path.Combine(DataRepo.BinDirectory, "dotnet-nuggets.dll"),
            ProjectDirectory = folder,
            OutputDirectory = "out",
            CachePath = "cache.duckdb",
            Datasets = [new TaskItem("data.jsonl")],
            Model = TestPaths.StoriesModel,
            Anchors = "random:2",
            Top = "2",
            Threads = "1",
            // The tool holds at the start of scoring and says so; the task is cancelled on that line, so the signal lands
            // while the tool is scoring, at any machine speed.
            EnvironmentVariables = ["NUGGETS_TEST_PAUSE_AT=scoring"],
        };
        engine.MessageLogged = message =>
        {
            if (message.StartsWith("nuggets: test: paused at scoring", StringComparison.Ordinal)) task.Cancel();
        };

        Assert.That(task.Execute(), Is.False, engine.Describe());

        Assert.That(engine.Errors, Has.Count.EqualTo(1), engine.Describe());
        Assert.That(engine.Errors[0].Code, Is.EqualTo("NUG1091"));
        Assert.That(engine.Errors[0].Message, Does.StartWith("stopped by SIGTERM during scoring."));
        Assert.That(engine.Warnings, Is.Empty, "the tool exited on its own; it was not killed");
        Assert.That(engine.Messages.Select(m => m.Message), Has.Some.StartWith("nuggets: SIGTERM received; stopping"));
        Assert.That(Directory.Exists(Path.Combine(folder, "out")), Is.False, "nothing was published");
    }

    [Test]
    public void A_tool_that_ignores_SIGTERM_is_killed_after_the_stop_timeout()
    {
        // That SIGTERM is what is sent first is shown above, with the real tool; here the tool ignores it.
        var folder = TestPaths.NewTempDirectory("task-cancel-kill");
        var tool = Path.Combine(folder, "stubborn.sh");
        File.WriteAllText(tool, """
            #!/bin/bash
            trap '' TERM
            echo "nuggets: scoring" >&2
            while :; do sleep 1000 & wait $!; done
            """.Replace("\r", ""));
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var engine = new FakeBuildEngine();
        var task = new NuggetsSelect
        {
            BuildEngine = engine, ToolAssembly = tool, ProjectDirectory = folder, OutputDirectory = "out", Threshold = "0.5", StopTimeout = 500,
        };
        engine.MessageLogged = message =>
        {
            if (message == "nuggets: scoring") task.Cancel();
        };

        Assert.That(task.Execute(), Is.False, engine.Describe());
        // MSB5021: ToolTask terminating the tool and its children because the build was cancelled.
        Assert.That(engine.Warnings.Select(w => w.Code), Is.EqualTo(new[] { "MSB5021" }), engine.Describe());
        Assert.That(engine.Warnings[0].Message, Does.Contain("stubborn.sh"));
    }

    [TestCase("INT", 130, "SIGINT", "NUG1090")]
    [TestCase("TERM", 143, "SIGTERM", "NUG1091")]
    public void A_tool_ended_by_a_stop_signal_without_a_line_is_reported_naming_the_signal(string signal, int exitCode, string name, string code)
    {
        var folder = TestPaths.NewTempDirectory("task-signalled");
        var tool = Path.Combine(folder, "signalled.sh");
        // With the signal at its default even when this test process inherited it ignored (a background job of a shell
        // without job control starts with SIGINT ignored, and an ignored signal stays ignored across exec).
        File.WriteAllText(tool, $"#!/bin/bash\nexec env --default-signal=INT,TERM bash -c 'kill -{signal} $$; sleep 5'\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var engine = new FakeBuildEngine();
        var task = new NuggetsSelect { BuildEngine = engine, ToolAssembly = tool, ProjectDirectory = folder, OutputDirectory = "out", Threshold = "0.5" };

        Assert.That(task.Execute(), Is.False);

        Assert.That(engine.Errors.Select(e => e.Code), Is.EqualTo(new[] { code }), engine.Describe());
        Assert.That(engine.Errors[0].Message, Does.Contain($"stopped by {name} (exit code {exitCode})").And.Contain("cache"));
    }
}
