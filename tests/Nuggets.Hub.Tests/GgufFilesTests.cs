using Nuggets.Core;
using Nuggets.Hub;

namespace Nuggets.Hub.Tests;

public sealed class GgufFilesTests
{
    private static readonly string[] Repo =
    [
        "README.md", "model-Q4_K_M.gguf", "model-Q4_K_S.gguf", "model-IQ4_XS.gguf", "model.Q8_0.gguf", "model-F16.gguf",
        "mmproj-model-f16.gguf", "big/model-Q6_K-00002-of-00003.gguf", "big/model-Q6_K-00001-of-00003.gguf", "big/model-Q6_K-00003-of-00003.gguf",
    ];

    [TestCase("Q4_K_M", "model-Q4_K_M.gguf")]
    [TestCase("q4_k_m", "model-Q4_K_M.gguf")]
    [TestCase("Q8_0", "model.Q8_0.gguf")]
    [TestCase("IQ4_XS", "model-IQ4_XS.gguf")]
    [TestCase("F16", "model-F16.gguf")]
    public void PicksTheFileOfAQuantisation(string quant, string file) =>
        Assert.That(GgufFiles.Pick(Repo, quant, "r").Parts, Is.EqualTo(new[] { file }));

    [Test]
    public void SplitModelsComeWithEveryPartFirstPartFirst() =>
        Assert.That(GgufFiles.Pick(Repo, "Q6_K", "r").Parts,
            Is.EqualTo(new[] { "big/model-Q6_K-00001-of-00003.gguf", "big/model-Q6_K-00002-of-00003.gguf", "big/model-Q6_K-00003-of-00003.gguf" }));

    [Test]
    public void APartialTagIsNotAMatch()
    {
        Assert.That(GgufFiles.HasQuant("model-Q4_K_M.gguf", "Q4_K"), Is.False);
        Assert.That(GgufFiles.HasQuant("model-IQ4_K_M.gguf", "Q4_K_M"), Is.False);
        Assert.That(GgufFiles.HasQuant("Q4_K_M/model-00001-of-00002.gguf", "Q4_K_M"), Is.True);
    }

    [Test]
    public void AMissingQuantisationListsTheOnesThereAre()
    {
        var error = Assert.Throws<NuggetsException>(() => GgufFiles.Pick(Repo, "Q5_K_S", "hf://o/r:Q5_K_S"))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.HubNotFound));
        Assert.That(error.Message, Does.Contain("'Q5_K_S'").And.Contain("F16, IQ4_XS, Q4_K_M, Q4_K_S, Q6_K, Q8_0"));
        Assert.That(error.Message, Does.Not.Contain("mmproj"));
    }

    [Test]
    public void AnAmbiguousQuantisationNamesEveryMatch()
    {
        string[] files = ["a/model-Q4_K_M.gguf", "b/model-Q4_K_M.gguf"];
        var error = Assert.Throws<NuggetsException>(() => GgufFiles.Pick(files, "Q4_K_M", "hf://o/r:Q4_K_M"))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.Config));
        Assert.That(error.Message, Does.Contain("a/model-Q4_K_M.gguf").And.Contain("b/model-Q4_K_M.gguf"));
    }

    [Test]
    public void WithoutAQuantisationTheOnlyModelIsTaken()
    {
        Assert.That(GgufFiles.Pick(["README.md", "m.gguf", "mmproj-m.gguf"], null, "r").Parts, Is.EqualTo(new[] { "m.gguf" }));
        Assert.That(() => GgufFiles.Pick(Repo, null, "r"), Throws.TypeOf<NuggetsException>().With.Message.Contains("several GGUF models"));
    }

    [Test]
    public void AnIncompleteSplitIsRefused()
    {
        var error = Assert.Throws<NuggetsException>(() => GgufFiles.Pick(["m-Q2_K-00001-of-00002.gguf"], "Q2_K", "r"))!;
        Assert.That(error.Message, Does.Contain("m-Q2_K-00002-of-00002.gguf"));
    }

    [Test]
    public void PartsFollowFromTheFirstPartsName()
    {
        Assert.That(GgufFiles.PartsOf("x/m-00001-of-00002.gguf"), Is.EqualTo(new[] { "x/m-00001-of-00002.gguf", "x/m-00002-of-00002.gguf" }));
        Assert.That(GgufFiles.PartsOf("m.gguf"), Is.EqualTo(new[] { "m.gguf" }));
        Assert.That(GgufFiles.IsLaterPart("m-00002-of-00002.gguf"), Is.True);
        Assert.That(GgufFiles.IsLaterPart("m-00001-of-00002.gguf"), Is.False);
    }
}
