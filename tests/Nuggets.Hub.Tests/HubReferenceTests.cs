using Nuggets.Core;
using Nuggets.Hub;

namespace Nuggets.Hub.Tests;

public sealed class HubReferenceTests
{
    [TestCase("hf://owner/repo/path/to/model.gguf", HubRepoType.Model, "owner/repo", null, "path/to/model.gguf", null)]
    [TestCase("hf://models/owner/repo/model.gguf", HubRepoType.Model, "owner/repo", null, "model.gguf", null)]
    [TestCase("hf://owner/repo:Q4_K_M", HubRepoType.Model, "owner/repo", null, null, "Q4_K_M")]
    [TestCase("hf://owner/repo", HubRepoType.Model, "owner/repo", null, null, null)]
    [TestCase("hf://owner/repo@v1.0/model.gguf", HubRepoType.Model, "owner/repo", "v1.0", "model.gguf", null)]
    [TestCase("hf://owner/repo@0123456789abcdef0123456789abcdef01234567:Q8_0", HubRepoType.Model, "owner/repo", "0123456789abcdef0123456789abcdef01234567", null, "Q8_0")]
    [TestCase("hf://datasets/owner/my.data-set/data/*.parquet", HubRepoType.Dataset, "owner/my.data-set", null, "data/*.parquet", null)]
    [TestCase("hf://datasets/owner/repo@refs/convert/parquet/default/train/*.parquet", HubRepoType.Dataset, "owner/repo", "refs/convert/parquet", "default/train/*.parquet", null)]
    [TestCase("hf://datasets/owner/repo@refs%2Fconvert%2Fparquet/default/train/0000.parquet", HubRepoType.Dataset, "owner/repo", "refs/convert/parquet", "default/train/0000.parquet", null)]
    [TestCase("hf://owner/repo@refs/pr/12/model.gguf", HubRepoType.Model, "owner/repo", "refs/pr/12", "model.gguf", null)]
    public void Parses(string uri, HubRepoType type, string id, string? revision, string? path, string? quant)
    {
        var reference = HubReference.Parse(uri);
        Assert.That((reference.Repo.Type, reference.Repo.Id, reference.Revision, reference.Path, reference.Quant),
            Is.EqualTo((type, id, revision, path, quant)));
        Assert.That(reference.Original, Is.EqualTo(uri));
    }

    [TestCase("hf://owner")]
    [TestCase("hf://owner/")]
    [TestCase("hf://spaces/owner/app/file")]
    [TestCase("hf://owner/repo/../../etc/passwd")]
    [TestCase("hf://owner/repo/a//b.gguf")]
    [TestCase("hf://owner/repo@/model.gguf")]
    [TestCase("hf://datasets/owner/repo")]
    [TestCase("hf://datasets/owner/repo:Q4_K_M")]
    [TestCase("hf://owner/re--po/model.gguf")]
    [TestCase("hf://owner/repo:Q4_K_M/file.gguf")]
    public void RefusesWithTheForms(string uri)
    {
        var error = Assert.Throws<NuggetsException>(() => HubReference.Parse(uri))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.Config));
        Assert.That(error.Message, Does.Contain(uri).And.Contain("hf://owner/name:Q4_K_M"));
    }

    [Test]
    public void RepoNamesFollowHuggingFaceHub()
    {
        var model = new HubRepo(HubRepoType.Model, "owner/name");
        var dataset = new HubRepo(HubRepoType.Dataset, "owner/name");
        Assert.That((model.CacheFolder, model.Kind, model.ResolvePrefix, model.Display), Is.EqualTo(("models--owner--name", "models", "", "models/owner/name")));
        Assert.That((dataset.CacheFolder, dataset.Kind, dataset.ResolvePrefix), Is.EqualTo(("datasets--owner--name", "datasets", "datasets/")));
    }
}
