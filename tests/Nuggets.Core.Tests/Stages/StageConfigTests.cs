using Nuggets.Core.Configuration;

namespace Nuggets.Core.Tests.Stages;

public sealed class StageConfigTests
{
    private static LoadedConfig Load(string stages, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var dir = TestPaths.NewTempDirectory("stage-config");
        var path = Path.Combine(dir, "nuggets.config.json");
        File.WriteAllText(path, $$"""{ "dataset": { "path": "a.parquet" }, "model": { "path": "m.gguf" }, "stages": {{stages}} }""");
        return ConfigLoader.Load(path, overrides);
    }

    private static string Error(string stages, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var error = Assert.Throws<NuggetsException>(() => Load(stages, overrides))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.Config));
        return error.Message;
    }

    [Test]
    public void Stages_bind_in_order_to_their_kinds_with_defaults_and_resolved_model_paths()
    {
        var loaded = Load("""[ { "type": "expand", "rounds": 2, "model": "gen.gguf" }, { "type": "dedupe" }, { "type": "diversity", "keepFraction": 0.5 }, { "type": "judge" } ]""");
        var stages = loaded.Options.Stages;

        Assert.That(stages.Select(s => s.GetType()), Is.EqualTo(new[] { typeof(ExpandStageOptions), typeof(DedupeStageOptions), typeof(DiversityStageOptions), typeof(JudgeStageOptions) }));
        Assert.That(((ExpandStageOptions)stages[0]).Rounds, Is.EqualTo(2));
        Assert.That(((ExpandStageOptions)stages[0]).Model, Is.EqualTo(Path.Combine(loaded.BaseDirectory, "gen.gguf")));
        Assert.That(((DedupeStageOptions)stages[1]).Threshold, Is.EqualTo(0.95));
        Assert.That(((DiversityStageOptions)stages[2]).KeepFraction, Is.EqualTo(0.5));
        Assert.That(((DiversityStageOptions)stages[2]).ExplainedVariance, Is.EqualTo(0.95));
        Assert.That(((ExpandStageOptions)stages[0]).Temperature, Is.EqualTo(0.5), "the LIFT authors' temperature");
        Assert.That(((JudgeStageOptions)stages[3]).Temperature, Is.EqualTo(0.5), "the LIFT authors judge at 0.5 too");
        Assert.That((((JudgeStageOptions)stages[3]).TopK, ((JudgeStageOptions)stages[3]).TopP, ((JudgeStageOptions)stages[3]).MaxTokens), Is.EqualTo((0, 1.0, 16)));
    }

    [Test]
    public void No_stages_key_means_no_stages_and_an_empty_list_too()
    {
        Assert.That(ConfigLoader.Load(null, new Dictionary<string, string?> { ["dataset:path"] = "a", ["model:path"] = "m" }).Options.Stages, Is.Empty);
        Assert.That(Load("[]").Options.Stages, Is.Empty);
    }

    [Test]
    public void An_unknown_key_in_a_stage_is_named_by_index_with_a_suggestion()
    {
        Assert.That(Error("""[ { "type": "expand" }, { "type": "dedupe", "treshold": 0.9 } ]"""),
            Does.Contain("unknown setting 'stages[1].treshold'").And.Contain("Did you mean 'stages[1].threshold'?"));
    }

    [Test]
    public void A_missing_or_unknown_type_lists_the_kinds()
    {
        Assert.That(Error("""[ { "rounds": 2 } ]"""), Does.Contain("'stages[0].type' is not set").And.Contain("expand, dedupe, diversity, judge"));
        Assert.That(Error("""[ { "type": "expnad" } ]"""), Does.Contain("'stages[0].type' is 'expnad'").And.Contain("expand, dedupe, diversity, judge"));
        Assert.That(Error("""{ "type": "expand" }"""), Does.Contain("'stages' must be a list"));
    }

    [TestCase("""[ { "type": "dedupe" }, { "type": "dedupe", "threshold": 1.5 } ]""", "'stages[1].threshold' is 1.5")]
    [TestCase("""[ { "type": "diversity", "keepFraction": 0 } ]""", "'stages[0].keepFraction' is 0")]
    [TestCase("""[ { "type": "diversity", "explainedVariance": 2 } ]""", "'stages[0].explainedVariance' is 2")]
    [TestCase("""[ { "type": "expand", "rounds": 0 } ]""", "'stages[0].rounds' is 0")]
    [TestCase("""[ { "type": "expand", "variant": "poetry" } ]""", "general, code")]
    [TestCase("""[ { "type": "expand", "rewritePrompt": "Rewrite {answer}" } ]""", "'stages[0].rewritePrompt' has the placeholder '{answer}'")]
    [TestCase("""[ { "type": "judge", "systemPrompt": "Judge {score}" } ]""", "'stages[0].systemPrompt' has the placeholder '{score}'")]
    [TestCase("""[ { "type": "judge", "top": 0 } ]""", "'stages[0].top' is 0")]
    [TestCase("""[ { "type": "judge", "maxTokens": "many" } ]""", "'stages[0].maxTokens' is 'many', but must be a whole number")]
    public void Bad_values_name_the_stage_key(string stages, string expected)
    {
        Assert.That(Error(stages), Does.Contain(expected));
    }

    [Test]
    public void Stages_need_alpaca_shaped_rows()
    {
        Assert.That(Error("""[ { "type": "dedupe" } ]""", new Dictionary<string, string?> { ["dataset:columns:messages"] = "messages" }),
            Does.Contain("dataset.columns.messages"));
    }

    [Test]
    public void Environment_variables_and_set_reach_stage_settings()
    {
        Environment.SetEnvironmentVariable("NUGGETS__STAGES__0__ROUNDS", "3");
        try
        {
            var loaded = Load("""[ { "type": "expand" } ]""", new Dictionary<string, string?> { ["stages:0:seed"] = "9" });
            Assert.That(((ExpandStageOptions)loaded.Options.Stages[0]).Rounds, Is.EqualTo(3));
            Assert.That(((ExpandStageOptions)loaded.Options.Stages[0]).Seed, Is.EqualTo(9));
        }
        finally
        {
            Environment.SetEnvironmentVariable("NUGGETS__STAGES__0__ROUNDS", null);
        }
    }
}
