using System.Text.Json;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Tests;

/// <summary>
/// Modes are enums from the configuration edge on, spelled in every input and output exactly as before they were
/// enums: JSON, <c>--set</c> and the environment take the documented spellings, and manifests and fingerprints write them.
/// </summary>
public sealed class TypedOptionsTests
{
    private const string Required = """ "dataset": { "path": "a.parquet" }, "model": { "path": "m.gguf" } """;

    private static string WriteConfig(string json)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("typed-options"), "nuggets.config.json");
        File.WriteAllText(path, json);
        return path;
    }

    [TestCase("selection", "mode", "topPercent")]
    [TestCase("scoring", "bosPolicy", "symmetric")]
    [TestCase("anchors", "method", "kmeans")]
    [TestCase("dataset", "format", "jsonl")]
    [TestCase("output", "format", "jsonl")]
    public void Every_way_of_setting_a_mode_takes_its_documented_spelling(string section, string key, string value)
    {
        NuggetsOptions FromFile() => ConfigLoader.Load(WriteConfig($$"""{ {{Required}}, "{{section}}": { "{{key}}": "{{value}}" } }""")).Options;
        NuggetsOptions FromSet() => ConfigLoader.Load(WriteConfig($$"""{ {{Required}} }"""), new Dictionary<string, string?> { [$"{section}:{key}"] = value }).Options;
        NuggetsOptions FromEnvironment()
        {
            var variable = $"{ConfigLoader.EnvironmentPrefix}{section.ToUpperInvariant()}__{key.ToUpperInvariant()}";
            Environment.SetEnvironmentVariable(variable, value);
            try { return ConfigLoader.Load(WriteConfig($$"""{ {{Required}} }""")).Options; }
            finally { Environment.SetEnvironmentVariable(variable, null); }
        }

        string Read(NuggetsOptions o) => (section, key) switch
        {
            ("selection", _) => Spelling.Of(o.Selection.Mode),
            ("scoring", _) => Spelling.Of(o.Scoring.BosPolicy),
            ("anchors", _) => Spelling.Of(o.Anchors.Method),
            ("dataset", _) => Spelling.Of(o.Dataset.Format),
            _ => Spelling.Of(o.Output.Format),
        };
        Assert.Multiple(() =>
        {
            Assert.That(Read(FromFile()), Is.EqualTo(value));
            Assert.That(Read(FromSet()), Is.EqualTo(value));
            Assert.That(Read(FromEnvironment()), Is.EqualTo(value));
        });
    }

    [TestCase("selection:mode", "best", "'selection.mode' is 'best', but must be one of: threshold, top, topPercent.")]
    [TestCase("selection:mode", "Threshold", "'selection.mode' is 'Threshold', but must be one of: threshold, top, topPercent.")]
    [TestCase("scoring:bosPolicy", "both", "'scoring.bosPolicy' is 'both', but must be one of: reference, symmetric.")]
    [TestCase("anchors:method", "kmean", "'anchors.method' is 'kmean', but must be one of: random, kmeans, file.")]
    [TestCase("dataset:format", "tsv", "'dataset.format' is 'tsv', but must be one of: auto, parquet, jsonl, json, csv.")]
    [TestCase("output:format", "csv", "'output.format' is 'csv', but must be one of: parquet, jsonl.")]
    [TestCase("output:format", "0", "'output.format' is '0', but must be one of: parquet, jsonl.")]
    public void An_unknown_mode_is_refused_at_the_edge_with_what_is_allowed(string key, string value, string expected)
    {
        var path = WriteConfig($$"""{ {{Required}} }""");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path, new Dictionary<string, string?> { [key] = value }));
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.Config));
        Assert.That(error.Message, Is.EqualTo($"{path}: {expected}"));
    }

    [Test]
    public void An_unknown_expand_variant_is_refused_with_what_is_allowed()
    {
        var path = WriteConfig($$"""{ {{Required}}, "stages": [{ "type": "expand", "variant": "poetry" }] }""");
        var error = Assert.Throws<NuggetsException>(() => ConfigLoader.Load(path));
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.Config));
        Assert.That(error.Message, Does.Contain("'stages[0].variant' is 'poetry', but must be one of: general, code"));
    }

    [Test]
    public void Every_mode_enum_member_has_exactly_one_spelling()
    {
        foreach (var type in new[] { typeof(SelectionMode), typeof(BosPolicy), typeof(AnchorMethod), typeof(ExpandVariant), typeof(DatasetFormat), typeof(OutputFormat), typeof(PipelineMode) })
        {
            var names = Spelling.Names(type);
            Assert.That(names, Has.Count.EqualTo(Enum.GetValues(type).Length), type.Name);
            Assert.That(names, Is.Unique, type.Name);
        }
    }

    [Test]
    public void The_json_schema_offers_exactly_the_spellings_the_loader_accepts()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "nuggets.config.schema.json")));
        var modes = ConfigBinder.KnownSettings().Where(s => s.Type.IsEnum).ToArray();
        Assert.That(modes.Select(m => m.Key), Is.SupersetOf(new[] { "selection.mode", "scoring.bosPolicy", "anchors.method", "dataset.format", "output.format", "stages[expand].variant" }));
        foreach (var (key, type) in modes)
        {
            var node = SchemaNode(schema.RootElement, key);
            Assert.That(node.GetProperty("enum").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(Spelling.Names(type)), key);
        }
    }

    // The schema node of a dotted key; stages[kind].key is looked up in the list entry whose type is that kind.
    private static JsonElement SchemaNode(JsonElement node, string key)
    {
        foreach (var part in key.Split('.'))
        {
            var bracket = part.IndexOf('[');
            node = node.GetProperty("properties").GetProperty(bracket < 0 ? part : part[..bracket]);
            if (bracket >= 0)
            {
                var kind = part[(bracket + 1)..^1];
                node = node.GetProperty("items").GetProperty("oneOf").EnumerateArray()
                    .Single(v => v.GetProperty("properties").GetProperty("type").GetProperty("const").GetString() == kind);
            }
        }
        return node;
    }

    [Test]
    public void Manifest_settings_write_the_spellings_users_type()
    {
        var settings = new ManifestSettings("alpaca", BosPolicy.Symmetric, null, null, SelectionMode.TopPercent, 0.5, 10, 5, true, true, "0/1", 512);
        var anchors = new ManifestAnchors(AnchorMethod.KMeans, 42, 1, "h", null, [3]);
        var json = JsonSerializer.Serialize(settings, ManifestWriter.Json) + JsonSerializer.Serialize(anchors, ManifestWriter.Json)
            + JsonSerializer.Serialize(PipelineMode.Select, ManifestWriter.Json);
        Assert.That(json, Does.Contain("\"bosPolicy\": \"symmetric\"").And.Contain("\"selectionMode\": \"topPercent\"")
            .And.Contain("\"method\": \"kmeans\"").And.Contain("\"select\""));
        Assert.That(JsonSerializer.Deserialize<ManifestSettings>(JsonSerializer.Serialize(settings, ManifestWriter.Json), ManifestWriter.Json), Is.EqualTo(settings));
    }

    // The expected ids are SHA-256 over the text the fingerprint always hashed, computed outside this code: a cache
    // written before modes were enums is still found.
    [TestCase(BosPolicy.Reference, "5a591d75446cc8d4bba72e1bd96b2ae9")]
    [TestCase(BosPolicy.Symmetric, "a6444916ee95aae19d15cf1a39c36a6d")]
    public void The_scorer_fingerprint_hashes_the_bos_policy_by_its_spelling(BosPolicy policy, string expected) =>
        Assert.That(new ScorerFingerprint("abc", "b1234", policy, "cpu/haswell").Id, Is.EqualTo(expected));
}
