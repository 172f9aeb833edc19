using Nuggets.Core.Configuration;
using Nuggets.Core.Stages;

namespace Nuggets.Core.Tests.Stages;

public sealed class StageModelOptionsTests
{
    [Test]
    public void A_stage_model_keeps_every_model_setting_but_the_path()
    {
        // Every settable property gets a value unlike its default, so a property WithPath forgets shows up here,
        // including one added to ModelOptions later.
        var scoring = new ModelOptions
        {
            Path = "/models/scoring.gguf", GpuLayers = 7, Threads = ThreadCount.Fixed(3), ContextLength = 1024, BatchSize = 96, CpuVariant = "haswell",
        };
        var properties = typeof(ModelOptions).GetProperties().Where(p => p.CanWrite).ToArray();
        var fresh = new ModelOptions();
        Assert.That(properties.Where(p => Equals(p.GetValue(scoring), p.GetValue(fresh))).Select(p => p.Name), Is.Empty, "the fixture sets every property");

        var stage = StageRunner.WithPath(scoring, "/models/stage.gguf");

        Assert.That(stage.Path, Is.EqualTo("/models/stage.gguf"));
        foreach (var property in properties.Where(p => p.Name != nameof(ModelOptions.Path)))
            Assert.That(property.GetValue(stage), Is.EqualTo(property.GetValue(scoring)), property.Name);
    }
}
