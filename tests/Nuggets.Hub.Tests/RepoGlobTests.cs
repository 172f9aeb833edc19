using Nuggets.Hub;

namespace Nuggets.Hub.Tests;

public sealed class RepoGlobTests
{
    [TestCase("data/*.parquet", "data/train.parquet", true)]
    [TestCase("data/*.parquet", "data/sub/train.parquet", false)]
    [TestCase("data/**/*.parquet", "data/train.parquet", true)]
    [TestCase("data/**/*.parquet", "data/a/b/train.parquet", true)]
    [TestCase("**", "any/thing.txt", true)]
    [TestCase("data/train-?????-of-00002.parquet", "data/train-00001-of-00002.parquet", true)]
    [TestCase("data/[ab].json", "data/b.json", true)]
    [TestCase("data/[!ab].json", "data/b.json", false)]
    [TestCase("data/x.parquet", "data/x_parquet", false)]
    public void Matches(string pattern, string path, bool expected) => Assert.That(RepoGlob.Matches(pattern, path), Is.EqualTo(expected));

    [TestCase("data/*.parquet", "data")]
    [TestCase("a/b/**/c*.parquet", "a/b")]
    [TestCase("*.parquet", "")]
    [TestCase("data/train.parquet", "data")]
    public void ListsOnlyTheFolderBeforeTheFirstWildcard(string pattern, string folder) => Assert.That(RepoGlob.Folder(pattern), Is.EqualTo(folder));
}
