using Nuggets.Core.Configuration;

namespace Nuggets.Core.Tests.Anchors;

/// <summary>The lock file sits beside its config and is named after it, so two configs in a folder never share one.</summary>
public sealed class AnchorLockNameTests
{
    [TestCase("/d/nuggets.config.json", "/d/nuggets.anchors.lock.json")]
    [TestCase("/d/nuggets.alpaca2k.config.json", "/d/nuggets.alpaca2k.anchors.lock.json")]
    [TestCase("/d/mine.json", "/d/mine.anchors.lock.json")]
    public void Named_after_the_config(string config, string expected) => Assert.That(AnchorLockName.For(config), Is.EqualTo(expected));

    [Test]
    public void Without_a_config_file_nothing_is_pinned_unless_a_lock_file_is_named()
    {
        var overrides = new Dictionary<string, string?> { ["dataset:path"] = "d.jsonl", ["model:path"] = "m.gguf" };
        Assert.That(ConfigLoader.Load(null, overrides).Options.Anchors.LockFile, Is.Null, "no config: no folder the lock belongs to");
        overrides["anchors:lockFile"] = "pins.json";
        Assert.That(ConfigLoader.Load(null, overrides).Options.Anchors.LockFile, Is.EqualTo(Path.GetFullPath("pins.json")));
    }

    [Test]
    public void A_lock_file_on_an_input_is_refused()
    {
        var dir = TestPaths.NewTempDirectory("lock-input");
        var config = Path.Combine(dir, "nuggets.config.json");
        File.WriteAllText(Path.Combine(dir, "d.jsonl"), "");
        File.WriteAllText(config, """{ "dataset": { "path": "d.jsonl" }, "model": { "path": "m.gguf" }, "anchors": { "lockFile": "d.jsonl" } }""");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(config))!;
        Assert.That(error.Message, Does.Contain("'anchors.lockFile' is the dataset file"));
    }

    [Test]
    public void The_loader_resolves_it_beside_the_config_or_where_the_setting_says()
    {
        var dir = TestPaths.NewTempDirectory("lock-name");
        var config = Path.Combine(dir, "nuggets.config.json");
        File.WriteAllText(config, """{ "dataset": { "path": "d.jsonl" }, "model": { "path": "m.gguf" } }""");
        Assert.That(ConfigLoader.Load(config).Options.Anchors.LockFile, Is.EqualTo(Path.Combine(dir, "nuggets.anchors.lock.json")));

        File.WriteAllText(config, """{ "dataset": { "path": "d.jsonl" }, "model": { "path": "m.gguf" }, "anchors": { "lockFile": "locks/a.json" } }""");
        Assert.That(ConfigLoader.Load(config).Options.Anchors.LockFile, Is.EqualTo(Path.Combine(dir, "locks", "a.json")));

        File.WriteAllText(config, """{ "dataset": { "path": "d.jsonl" }, "model": { "path": "m.gguf" }, "anchors": { "lockFile": "../elsewhere.json" } }""");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(config))!;
        Assert.That(error.Message, Does.Contain("'anchors.lockFile'"), "a config file only writes inside its own folder");
    }

    [Test]
    public void The_defaults_are_the_papers_best_setting()
    {
        var options = new NuggetsOptions();
        Assert.That((options.Anchors.Method, options.Anchors.Count, options.Selection.Threshold), Is.EqualTo((AnchorMethod.KMeans, 100, 0.85)));
        Assert.That((options.Anchors.KmeansRestarts, options.Anchors.Normalize, options.Anchors.Pin, options.Anchors.From),
            Is.EqualTo((10, false, true, AnchorSource.Dataset)));
    }
}
