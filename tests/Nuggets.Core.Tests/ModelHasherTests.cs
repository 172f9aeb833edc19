using System.Security.Cryptography;
using Nuggets.Core.Models;

namespace Nuggets.Core.Tests;

/// <summary>
/// The model hash reuse rule with stamps given by the test (the real stamps come from statx, tested in
/// Nuggets.Llama.Tests; the real tool, in Nuggets.Cli.Tests.ModelIdentityEndToEndTests).
/// </summary>
public class ModelHasherTests
{
    private static readonly FileStamp Stamp = new(Size: 10, ModifiedNanoseconds: 1_000, ChangedNanoseconds: 2_000, Inode: 7);

    private sealed class Files
    {
        public string Root { get; } = TestPaths.NewTempDirectory("model-hasher");

        public Dictionary<string, FileStamp?> Stamps { get; } = new();

        public int StampCalls { get; private set; }

        public Func<string, FileStamp?>? DuringHash { get; set; }

        public string Model(string name, string content)
        {
            var path = Path.Combine(Root, name);
            File.WriteAllText(path, content);
            Stamps[path] = Stamp;
            return path;
        }

        public ModelHasher Hasher(ModelIdentityStore? store = null) =>
            new(store ?? ModelIdentityStore.BesideCache(Path.Combine(Root, ".nuggets", "cache.duckdb")), path =>
            {
                StampCalls++;
                return StampCalls % 2 == 0 && DuringHash is { } change ? change(path) : Stamps[path];
            });
    }

    private static string Sha(string content) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));

    [Test]
    public void TheFirstHashReadsTheFileAndTheNextOneReusesIt()
    {
        var files = new Files();
        var model = files.Model("m.gguf", "model bytes");

        Assert.That(files.Hasher().Hash(model), Is.EqualTo(new ModelHash(Sha("model bytes"), Reused: false)));
        Assert.That(File.Exists(Path.Combine(files.Root, ".nuggets", ModelIdentityStore.FileName)), Is.True);
        // The file's bytes change but its stamp does not: the stored hash is what comes back, proving the file was not read.
        File.WriteAllText(model, "other bytes");
        Assert.That(files.Hasher().Hash(model), Is.EqualTo(new ModelHash(Sha("model bytes"), Reused: true)));
    }

    [TestCase("size")]
    [TestCase("mtime")]
    [TestCase("ctime")]
    [TestCase("inode")]
    public void AChangeOfAnyStampFieldHashesAgain(string field)
    {
        var files = new Files();
        var model = files.Model("m.gguf", "model bytes");
        files.Hasher().Hash(model);

        File.WriteAllText(model, "new bytes!!");
        files.Stamps[model] = field switch
        {
            "size" => Stamp with { Size = 11 },
            "mtime" => Stamp with { ModifiedNanoseconds = 1_001 },
            "ctime" => Stamp with { ChangedNanoseconds = 2_001 },
            _ => Stamp with { Inode = 8 },
        };
        Assert.That(files.Hasher().Hash(model), Is.EqualTo(new ModelHash(Sha("new bytes!!"), Reused: false)));
        Assert.That(files.Hasher().Hash(model), Is.EqualTo(new ModelHash(Sha("new bytes!!"), Reused: true)), "the new stamp is stored");
    }

    [Test]
    public void EntriesAreKeyedByFullPath()
    {
        var files = new Files();
        var a = files.Model("a.gguf", "A");
        var b = files.Model("b.gguf", "B");
        files.Hasher().Hash(a);
        files.Hasher().Hash(b);
        Assert.That(files.Hasher().Hash(a), Is.EqualTo(new ModelHash(Sha("A"), Reused: true)));
        Assert.That(files.Hasher().Hash(Path.GetRelativePath(Environment.CurrentDirectory, b)), Is.EqualTo(new ModelHash(Sha("B"), Reused: true)));
    }

    [Test]
    public void AFileThatChangesWhileItIsReadIsNotRemembered()
    {
        var files = new Files();
        var model = files.Model("m.gguf", "model bytes");
        files.DuringHash = _ => Stamp with { Size = 99 };
        Assert.That(files.Hasher().Hash(model).Reused, Is.False);
        files.DuringHash = null;
        Assert.That(files.Hasher().Hash(model).Reused, Is.False, "nothing was stored for the stamp seen before reading");
    }

    [Test]
    public void WithoutAStampOrAStoreEveryHashReadsTheFile()
    {
        var files = new Files();
        var model = files.Model("m.gguf", "model bytes");
        files.Stamps[model] = null;
        files.Hasher().Hash(model);
        Assert.That(files.Hasher().Hash(model).Reused, Is.False);
        Assert.That(ModelHasher.Always.Hash(model), Is.EqualTo(new ModelHash(Sha("model bytes"), Reused: false)));
    }

    [Test]
    public void ADamagedStoreIsIgnoredAndRewritten()
    {
        var files = new Files();
        var model = files.Model("m.gguf", "model bytes");
        var store = ModelIdentityStore.BesideCache(Path.Combine(files.Root, ".nuggets", "cache.duckdb"));
        Directory.CreateDirectory(Path.GetDirectoryName(store.Path)!);
        File.WriteAllText(store.Path, "{ not json");
        Assert.That(files.Hasher(store).Hash(model).Reused, Is.False);
        Assert.That(files.Hasher(store).Hash(model).Reused, Is.True);
    }

    [Test]
    public void AStoreThatCannotBeWrittenOnlyCostsTheReuse()
    {
        var files = new Files();
        var model = files.Model("m.gguf", "model bytes");
        // The store's folder is a file: every write fails, whoever runs the test (root ignores permissions).
        var blocked = Path.Combine(files.Root, "blocked");
        File.WriteAllText(blocked, "");
        var store = new ModelIdentityStore(Path.Combine(blocked, ModelIdentityStore.FileName));
        Assert.That(files.Hasher(store).Hash(model), Is.EqualTo(new ModelHash(Sha("model bytes"), Reused: false)));
        Assert.That(files.Hasher(store).Hash(model).Reused, Is.False);
    }

    [Test]
    public void EntriesOfDeletedModelsAreDropped()
    {
        var files = new Files();
        var gone = files.Model("gone.gguf", "G");
        var kept = files.Model("kept.gguf", "K");
        files.Hasher().Hash(gone);
        File.Delete(gone);
        files.Hasher().Hash(kept);
        var store = File.ReadAllText(Path.Combine(files.Root, ".nuggets", ModelIdentityStore.FileName));
        Assert.That(store, Does.Contain(kept).And.Not.Contain(gone));
    }
}
