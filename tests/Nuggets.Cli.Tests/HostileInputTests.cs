using System.Text.Json;
using Nuggets.Core;

namespace Nuggets.Cli.Tests;

/// <summary>Hostile data, models and configs through the real tool: a clear message and exit code, or a recorded skip.</summary>
public sealed class HostileInputTests
{
    private static string Config => Path.Combine(TestPaths.RepoRoot, "nuggets.config.json");

    private static string ChatData => TestPaths.Data("chat/hh_rlhf_harmless_base_test.parquet");

    private static void AssertOk(CliResult result) => Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());

    [Test]
    public void Chat_rows_with_a_model_without_a_chat_template_fail_clearly_unless_a_template_is_named()
    {
        var w = new Workspace();
        string[] common = ["--config", Config, "--dataset", ChatData, "--set", "dataset.columns.messages=chosen", "--set", "dataset.maxRows=12",
            "--anchors", "random:3", "--cache", w.Path("c.duckdb"), "--quiet"];

        var refused = CliRunner.Run(w.Root, ["run", .. common, "--output", w.Path("model-template"), "--set", "scoring.template=model"]);
        Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.Config), refused.ToString());
        Assert.That(refused.StdErr, Does.StartWith("error: ").And.Contain("no chat template").And.Contain("scoring.template"));
        Assert.That(Directory.Exists(w.Path("model-template")), Is.False);

        // The documented fallback: name one of llama.cpp's built-in templates.
        AssertOk(CliRunner.Run(w.Root, ["run", .. common, "--output", w.Path("chatml"), "--set", "scoring.template=chatml"]));
        Assert.That(Workspace.Manifest(w.Path("chatml")).GetProperty("settings").GetProperty("template").GetString(), Is.EqualTo("chatml"));
    }

    [Test]
    public void A_10_MB_example_and_embedded_nuls_are_handled_and_the_skip_is_recorded()
    {
        var w = new Workspace();
        w.WriteAlpaca("data.jsonl", 0, 6);
        w.WriteAlpaca("anchors.jsonl", 1000, 3);
        var huge = new string('x', 10 << 20);
        w.Append("data.jsonl", [
            JsonSerializer.Serialize(new { instruction = huge, input = "", output = "y" }),
            JsonSerializer.Serialize(new { instruction = "Say a\0b.", input = "", output = "a\0b" }),
        ]);

        var result = CliRunner.Run(w.Root, "run", "--config", Config, "--dataset", w.Path("data.jsonl"), "--anchors", w.Path("anchors.jsonl"),
            "--output", w.Path("out"), "--cache", w.Path("c.duckdb"), "--quiet", "--set", "scoring.maxExampleTokens=2000");
        AssertOk(result);
        var counts = Workspace.Manifest(w.Path("out")).GetProperty("counts");
        Assert.That(counts.GetProperty("scored").GetInt64(), Is.EqualTo(7), "the six Alpaca rows and the row with NULs are scored");
        Assert.That(counts.GetProperty("skipped").GetInt64(), Is.EqualTo(1));
        Assert.That(counts.GetProperty("skippedReasons").GetProperty("longer than scoring.maxExampleTokens").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public void A_config_file_aiming_outputs_outside_its_folder_is_refused_before_anything_runs()
    {
        var w = new Workspace();
        Directory.CreateDirectory(w.Path("repo"));
        w.WriteAlpaca("repo/data.jsonl", 0, 4);
        File.WriteAllText(w.Path("repo/nuggets.config.json"), $$"""
            { "dataset": { "path": "data.jsonl" }, "model": { "path": "{{TestPaths.StoriesModel}}" },
              "output": { "directory": "../victim" }, "cache": { "path": "../victim/cache.duckdb" } }
            """);

        var refused = CliRunner.Run(w.Path("repo"), "run", "--quiet");
        Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.Config), refused.ToString());
        Assert.That(refused.StdErr, Does.Contain("'output.directory'").And.Contain("'cache.path'").And.Contain("--allow-outside-project"));
        Assert.That(Directory.Exists(w.Path("victim")), Is.False, "nothing was written outside the project");

        AssertOk(CliRunner.Run(w.Path("repo"), "run", "--quiet", "--allow-outside-project", "--anchors", "random:2"));
        Assert.That(File.Exists(w.Path("victim/selected.parquet")), Is.True);
    }
}
