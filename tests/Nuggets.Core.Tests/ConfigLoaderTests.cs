using Nuggets.Core.Configuration;

namespace Nuggets.Core.Tests;

public sealed class ConfigLoaderTests
{
    private static string WriteConfig(string json)
    {
        var dir = TestPaths.NewTempDirectory("config");
        var path = Path.Combine(dir, "nuggets.config.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string Minimal = """{ "dataset": { "path": "data/a.parquet" }, "model": { "path": "m.gguf" } }""";

    [Test]
    public void Relative_paths_resolve_against_the_config_folder()
    {
        var path = WriteConfig(Minimal);
        var loaded = ConfigLoader.Load(path);
        var dir = Path.GetDirectoryName(path)!;
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Options.Dataset.Paths, Is.EqualTo(new[] { Path.Combine(dir, "data", "a.parquet") }));
            Assert.That(loaded.Options.Model.Path, Is.EqualTo(Path.Combine(dir, "m.gguf")));
            Assert.That(loaded.Options.Cache.Path, Is.EqualTo(Path.Combine(dir, ".nuggets", "cache.duckdb")));
            Assert.That(loaded.Options.Output.Directory, Is.EqualTo(Path.Combine(dir, "out")));
        });
    }

    [Test]
    public void An_unknown_key_is_named_with_a_suggestion()
    {
        var path = WriteConfig("""{ "dataset": { "path": "a.parquet" }, "model": { "path": "m.gguf", "treads": 4 } }""");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path));
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.Config));
        Assert.That(error.Message, Does.Contain("model.treads").And.Contain("Did you mean 'model.threads'?").And.Contain(path));
    }

    [Test]
    public void A_value_of_the_wrong_kind_names_the_key_and_what_it_must_be()
    {
        var path = WriteConfig("""{ "dataset": { "path": "a.parquet" }, "model": { "path": "m.gguf" }, "selection": { "threshold": "high" } }""");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path));
        Assert.That(error!.Message, Does.Contain("selection.threshold").And.Contain("'high'").And.Contain("a number"));
    }

    [TestCase("selection:threshold", "1.5", "selection.threshold")]
    [TestCase("scoring:bosPolicy", "both", "reference, symmetric")]
    [TestCase("anchors:method", "file", "anchors.path")]
    [TestCase("shard:index", "4", "shard.index")]
    public void Out_of_range_values_are_rejected_with_what_is_allowed(string key, string value, string expected)
    {
        var path = WriteConfig(Minimal);
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path, new Dictionary<string, string?> { [key] = value }));
        Assert.That(error!.Message, Does.Contain(expected));
    }

    [TestCase(null, "auto")]
    [TestCase("\"auto\"", "auto")]
    [TestCase("\"Auto\"", "auto")]
    [TestCase("4", "4")]
    [TestCase("\"4\"", "4")]
    public void Model_threads_is_auto_by_default_or_a_count(string? json, string expected)
    {
        var path = WriteConfig(json is null ? Minimal : $$"""{ "dataset": { "path": "a.parquet" }, "model": { "path": "m.gguf", "threads": {{json}} } }""");
        var threads = ConfigLoader.Load(path).Options.Model.Threads;
        Assert.That(threads.ToString(), Is.EqualTo(expected));
        Assert.That(threads.IsAuto, Is.EqualTo(expected == "auto"));
    }

    [TestCase("0")]
    [TestCase("-1")]
    [TestCase("\"many\"")]
    [TestCase("2.5")]
    [TestCase("\"\"")]
    public void A_bad_model_threads_is_a_config_error_that_names_the_setting_and_what_is_allowed(string json)
    {
        var path = WriteConfig($$"""{ "dataset": { "path": "a.parquet" }, "model": { "path": "m.gguf", "threads": {{json}} } }""");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path));
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.Config));
        Assert.That(error.Message, Does.Contain("'model.threads'").And.Contain("'auto' or a whole number of at least 1"), error.Message);
    }

    [Test]
    public void Missing_dataset_and_model_are_both_reported()
    {
        var path = WriteConfig("{}");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path));
        Assert.That(error!.Message, Does.Contain("dataset.path").And.Contain("model.path"));
    }

    [Test]
    public void Environment_variables_override_the_file_and_command_line_overrides_both()
    {
        var path = WriteConfig("""{ "dataset": { "path": "a.parquet" }, "model": { "path": "m.gguf", "threads": 1 }, "anchors": { "count": 5 } }""");
        Environment.SetEnvironmentVariable("NUGGETS__MODEL__THREADS", "3");
        Environment.SetEnvironmentVariable("NUGGETS__ANCHORS__COUNT", "7");
        try
        {
            var loaded = ConfigLoader.Load(path, new Dictionary<string, string?> { ["anchors:count"] = "9" });
            Assert.That(loaded.Options.Model.Threads, Is.EqualTo(ThreadCount.Fixed(3)));
            Assert.That(loaded.Options.Anchors.Count, Is.EqualTo(9));
        }
        finally
        {
            Environment.SetEnvironmentVariable("NUGGETS__MODEL__THREADS", null);
            Environment.SetEnvironmentVariable("NUGGETS__ANCHORS__COUNT", null);
        }
    }

    [Test]
    public void The_json_schema_lists_exactly_the_settings_the_loader_accepts()
    {
        var schemaPath = Path.Combine(TestPaths.RepoRoot, "docs", "nuggets.config.schema.json");
        using var schema = System.Text.Json.JsonDocument.Parse(File.ReadAllText(schemaPath));
        var keys = new List<string>();
        void Walk(System.Text.Json.JsonElement node, string prefix)
        {
            if (!node.TryGetProperty("properties", out var properties)) return;
            foreach (var property in properties.EnumerateObject())
            {
                if (property.Name == "$schema") continue;
                if (property.Value.TryGetProperty("properties", out _)) Walk(property.Value, prefix + property.Name + ".");
                else if (property.Value.TryGetProperty("items", out var items) && items.TryGetProperty("oneOf", out var variants))
                {
                    // A list of typed entries (stages): 'type' once, then each kind's own settings.
                    keys.Add($"{prefix}{property.Name}[].type");
                    foreach (var variant in variants.EnumerateArray())
                    {
                        var settings = variant.GetProperty("properties");
                        var kind = settings.GetProperty("type").GetProperty("const").GetString();
                        keys.AddRange(settings.EnumerateObject().Where(s => s.Name != "type").Select(s => $"{prefix}{property.Name}[{kind}].{s.Name}"));
                    }
                }
                else keys.Add(prefix + property.Name);
            }
        }
        Walk(schema.RootElement, "");
        Assert.That(keys, Is.EquivalentTo(ConfigBinder.KnownKeys()));
    }

    [Test]
    public void The_readme_documents_every_setting()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md"));
        Assert.That(ConfigBinder.KnownKeys().Where(k => !readme.Contains($"`{k}`", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Hub_paths_are_kept_as_written_not_resolved_against_the_config_folder()
    {
        var dir = TestPaths.NewTempDirectory("config-hub");
        var config = Path.Combine(dir, "nuggets.config.json");
        File.WriteAllText(config, """
            { "dataset": { "paths": ["hf://datasets/o/d/data/*.parquet", "local.jsonl"] }, "model": { "path": "hf://o/m:Q4_K_M" },
              "anchors": { "method": "file", "path": "hf://datasets/o/d/anchors.jsonl" } }
            """);
        var options = ConfigLoader.Load(config).Options;
        Assert.That(options.Dataset.Paths, Is.EqualTo(new[] { "hf://datasets/o/d/data/*.parquet", Path.Combine(dir, "local.jsonl") }));
        Assert.That((options.Model.Path, options.Anchors.Path), Is.EqualTo(("hf://o/m:Q4_K_M", "hf://datasets/o/d/anchors.jsonl")));
        Assert.That(ConfigFile.ReadPath(config, "model", "path"), Is.EqualTo("hf://o/m:Q4_K_M"));
    }

    [Test]
    public void The_repository_config_loads()
    {
        var loaded = ConfigLoader.Load(Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"));
        Assert.That(File.Exists(loaded.Options.Model.Path), Is.True, loaded.Options.Model.Path);
        Assert.That(File.Exists(loaded.Options.Dataset.Paths[0]), Is.True, loaded.Options.Dataset.Paths[0]);
    }
}
