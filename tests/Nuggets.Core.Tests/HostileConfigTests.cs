using Nuggets.Core.Configuration;

namespace Nuggets.Core.Tests;

/// <summary>Config files from elsewhere: wrong types for every key, writes aimed outside the project or at the inputs.</summary>
public sealed class HostileConfigTests
{
    private static (string Dir, string Path) WriteConfig(string json)
    {
        var dir = TestPaths.NewTempDirectory("hostile-config");
        var path = Path.Combine(dir, "nuggets.config.json");
        File.WriteAllText(path, json);
        return (dir, path);
    }

    private const string Required = """ "dataset": { "path": "a.parquet" }, "model": { "path": "m.gguf" } """;

    /// <summary>A JSON value of the wrong kind for each setting type.</summary>
    private static IEnumerable<string> WrongValues(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(int) || target == typeof(long) || target == typeof(double)) return ["\"many\"", "true", "{ \"a\": 1 }", "[1, 2]"];
        if (target == typeof(bool)) return ["\"maybe\"", "2", "{ \"a\": 1 }"];
        if (target == typeof(ThreadCount)) return ["\"many\"", "0", "-1", "true", "{ \"a\": 1 }", "[1, 2]"];
        if (target == typeof(List<string>)) return ["{ \"a\": { \"b\": 1 } }", "[{ \"a\": 1 }]"];
        return ["{ \"a\": 1 }", "[1, 2]"];
    }

    public static IEnumerable<TestCaseData> EveryKeyWithAWrongValue() =>
        ConfigBinder.KnownSettings().SelectMany(s => WrongValues(s.Type).Select(v => new TestCaseData(s.Key, v).SetName($"Wrong value for {s.Key}: {v}")));

    [TestCaseSource(nameof(EveryKeyWithAWrongValue))]
    public void A_wrong_type_for_any_key_is_a_config_error_naming_the_key(string key, string value)
    {
        var parts = key.Split('.');
        var json = value;
        var expected = key;
        if (key.StartsWith("stages[", StringComparison.Ordinal))
        {
            // Stage settings live in list entries: stages[].type, or stages[<type>].<key> inside an entry of that type.
            var kind = key[7..key.IndexOf(']')];
            var entry = kind.Length == 0 ? $"{{ \"type\": {value} }}" : $"{{ \"type\": \"{kind}\", \"{parts[^1]}\": {value} }}";
            json = $"{{ \"stages\": [{entry}] }}";
            expected = $"stages[0].{parts[^1]}";
        }
        else
        {
            for (var i = parts.Length - 1; i >= 0; i--) json = $"{{ \"{parts[i]}\": {json} }}";
        }
        // The required settings are merged in by a second file-free source so the wrong value is the only problem.
        var (_, path) = WriteConfig(json);
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path, new Dictionary<string, string?>
        {
            ["dataset:paths:0"] = parts[0] == "dataset" ? null : "a.parquet",
            ["model:path"] = key == "model.path" ? null : "m.gguf",
        }.Where(p => p.Value is not null).ToDictionary()));
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.Config));
        Assert.That(error.Message, Does.Contain(expected), error.Message);
    }

    [TestCase("cache.path")]
    [TestCase("output.directory")]
    [TestCase("output.format")]
    [TestCase("scoring.template")]
    public void An_empty_value_for_a_required_string_is_refused(string key)
    {
        var parts = key.Split('.');
        var (_, path) = WriteConfig($$"""{ {{Required}}, "{{parts[0]}}": { "{{parts[1]}}": "" } }""");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path));
        Assert.That(error!.Message, Does.Contain(key));
    }

    [TestCase("""{ "output": { "directory": "../elsewhere" } }""", "output.directory")]
    [TestCase("""{ "output": { "directory": "/tmp" } }""", "output.directory")]
    [TestCase("""{ "cache": { "path": "../../cache.duckdb" } }""", "cache.path")]
    public void A_config_file_cannot_write_outside_its_folder(string settings, string key)
    {
        var (_, path) = WriteConfig(settings[..settings.LastIndexOf('}')] + $", {Required} }}");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path));
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.Config));
        Assert.That(error.Message, Does.Contain(key).And.Contain("outside the project folder").And.Contain("--allow-outside-project"));
    }

    [Test]
    public void Writing_outside_is_allowed_when_the_user_asks_or_sets_the_path_themselves()
    {
        var (dir, path) = WriteConfig($$"""{ {{Required}}, "output": { "directory": "../elsewhere" } }""");
        var expected = Path.GetFullPath(Path.Combine(dir, "..", "elsewhere"));
        Assert.Multiple(() =>
        {
            Assert.That(ConfigLoader.Load(path, allowWritesOutsideProject: true).Options.Output.Directory, Is.EqualTo(expected));
            Assert.That(ConfigLoader.Load(path, new Dictionary<string, string?> { ["output:directory"] = "/tmp/nuggets-out" }).Options.Output.Directory, Is.EqualTo("/tmp/nuggets-out"));
            Assert.That(ConfigLoader.Load(path, commandLine: o => o.Output.Directory = "/tmp/x").Options.Output.Directory, Is.EqualTo("/tmp/x"));
        });
    }

    [Test]
    public void An_output_folder_that_is_a_link_out_of_the_project_is_outside()
    {
        var (dir, path) = WriteConfig($$"""{ {{Required}} }""");
        var target = TestPaths.NewTempDirectory("link-target");
        Directory.CreateSymbolicLink(Path.Combine(dir, "out"), target);
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path));
        Assert.That(error!.Message, Does.Contain("'output.directory'").And.Contain(target));
    }

    [Test]
    public void Outputs_that_would_overwrite_an_input_are_refused()
    {
        var (dir, path) = WriteConfig("""{ "dataset": { "path": "out/selected.parquet" }, "model": { "path": "m.gguf" } }""");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path));
        Assert.That(error!.Message, Does.Contain("would overwrite the dataset file").And.Contain(Path.Combine(dir, "out", "selected.parquet")));

        var (_, cacheIsModel) = WriteConfig($$"""{ {{Required}}, "cache": { "path": "m.gguf" } }""");
        Assert.That(Assert.Throws<NuggetsException>(() => ConfigLoader.Load(cacheIsModel))!.Message, Does.Contain("'cache.path' is the model.path file"));

        var (_, globOverOutput) = WriteConfig("""{ "dataset": { "path": "out/*.parquet" }, "model": { "path": "m.gguf" } }""");
        Assert.That(Assert.Throws<NuggetsException>(() => ConfigLoader.Load(globOverOutput))!.Message, Does.Contain("reads the output folder"));

        var (_, outputIsDataset) = WriteConfig($$"""{ {{Required}}, "output": { "directory": "a.parquet" } }""");
        Assert.That(Assert.Throws<NuggetsException>(() => ConfigLoader.Load(outputIsDataset))!.Message, Does.Contain("outputs never overwrite inputs"));
    }

    [Test]
    public void The_overwrite_check_also_covers_paths_from_the_command_line()
    {
        var (dir, path) = WriteConfig($$"""{ {{Required}} }""");
        var folder = Path.Combine(dir, "x");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path, commandLine: o =>
        {
            o.Dataset.Paths = [Path.Combine(folder, "scores.jsonl")];
            (o.Output.Directory, o.Output.Format) = (folder, Data.OutputFormat.JsonLines);
        }));
        Assert.That(error!.Message, Does.Contain("would overwrite the dataset file"));
    }

    [TestCase("0")]
    [TestCase("-5")]
    public void Max_rows_must_be_positive(string value)
    {
        var (_, path) = WriteConfig($$"""{ {{Required}} }""");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path, new Dictionary<string, string?> { ["dataset:maxRows"] = value }));
        Assert.That(error!.Message, Does.Contain("dataset.maxRows"));
    }
}
