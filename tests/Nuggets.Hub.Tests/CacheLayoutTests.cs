using System.Security.Cryptography;
using System.Text;
using Nuggets.Core;
using Nuggets.Hub;

namespace Nuggets.Hub.Tests;

public sealed class CacheLayoutTests
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private static readonly HubRepo Model = new(HubRepoType.Model, "owner/name");
    private static readonly HubRepo Dataset = new(HubRepoType.Dataset, "owner/name");

    [Test]
    public void PathsAreHuggingFaceHubs()
    {
        var layout = new HubCacheLayout("/c");
        Assert.That(layout.Blob(Model, "abc"), Is.EqualTo("/c/models--owner--name/blobs/abc"));
        Assert.That(layout.Incomplete(Model, "abc"), Is.EqualTo("/c/models--owner--name/blobs/abc.incomplete"));
        Assert.That(layout.SnapshotFile(Dataset, Commit, "data/x.parquet"), Is.EqualTo($"/c/datasets--owner--name/snapshots/{Commit}/data/x.parquet"));
        Assert.That(layout.Ref(Dataset, "refs/convert/parquet"), Is.EqualTo("/c/datasets--owner--name/refs/refs/convert/parquet"));
        Assert.That(layout.Ref(Model, "main"), Is.EqualTo("/c/models--owner--name/refs/main"));
        Assert.That(layout.Lock(Model, "abc"), Is.EqualTo("/c/.locks/models--owner--name/abc.lock"));
    }

    [Test]
    public void NamesFromTheServerCannotLeaveTheCache()
    {
        var layout = new HubCacheLayout("/c");
        Assert.That(() => layout.Blob(Model, "../../x"), Throws.TypeOf<NuggetsException>());
        Assert.That(() => layout.SnapshotFile(Model, Commit, "../x"), Throws.TypeOf<NuggetsException>());
        Assert.That(() => layout.SnapshotFile(Model, "../../" + Commit[6..], "x"), Throws.TypeOf<NuggetsException>());
        Assert.That(() => layout.Ref(Model, "../../x"), Throws.TypeOf<NuggetsException>());
    }

    [Test]
    public void SnapshotsLinkRelativelyToBlobsAndRefsHoldTheCommit()
    {
        var root = TestPaths.NewTempDirectory("hub-cache");
        var cache = new HubCache(new HubCacheLayout(root));
        var blob = cache.Layout.Blob(Model, "abc");
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        File.WriteAllText(blob, "content");

        var file = cache.Link(Model, Commit, "sub/file.gguf", "abc");
        Assert.That(new FileInfo(file).LinkTarget, Is.EqualTo("../../../blobs/abc"));
        Assert.That(File.ReadAllText(file), Is.EqualTo("content"));
        Assert.That(cache.SnapshotFiles(Model, Commit), Is.EqualTo(new[] { "sub/file.gguf" }));

        cache.WriteRef(Model, "main", Commit);
        Assert.That(File.ReadAllText(cache.Layout.Ref(Model, "main")), Is.EqualTo(Commit));
        Assert.That(cache.ReadRef(Model, "main"), Is.EqualTo(Commit));
        Assert.That(cache.ReadRef(Model, Commit), Is.EqualTo(Commit));
        Assert.That(cache.ReadRef(Model, "v2"), Is.Null);
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(file)!), Has.Length.EqualTo(1), "no temporary file left beside the link");
    }

    [Test]
    public void SmallFilesAreCheckedByTheirGitHash()
    {
        var content = Encoding.UTF8.GetBytes("hello\n");
        // git hash-object of "hello\n"
        var check = ContentCheck.For(new RemoteFile("a.txt", content.Length, "ce013625030ba8dba906f756967f9e9ca394464a", null))!;
        check.Append(content);
        Assert.That(check.Mismatch(), Is.Null);
        var lfs = ContentCheck.For(RemoteFile.FromEtag("a.bin", content.Length, Convert.ToHexStringLower(SHA256.HashData(content))))!;
        Assert.That(lfs.Name, Is.EqualTo("SHA-256"));
        lfs.Append(content.AsSpan(0, 3));
        Assert.That(lfs.Mismatch(), Is.Not.Null);
    }

    [Test]
    public void SettingsComeFromHuggingFaceHubsVariables()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var none = HubSettings.FromEnvironment(_ => null);
        Assert.That((none.Endpoint.AbsoluteUri, none.Token, none.Offline, none.CacheRoot),
            Is.EqualTo(("https://huggingface.co/", (string?)null, false, Path.Combine(home, ".cache", "huggingface", "hub"))));

        var env = new Dictionary<string, string> { ["HF_HOME"] = "/h", ["HF_ENDPOINT"] = "http://127.0.0.1:9/", ["HF_TOKEN"] = "secret", ["HF_HUB_OFFLINE"] = "1" };
        var set = HubSettings.FromEnvironment(k => env.GetValueOrDefault(k));
        Assert.That((set.Endpoint.AbsoluteUri, set.Token, set.Offline, set.CacheRoot), Is.EqualTo(("http://127.0.0.1:9/", "secret", true, "/h/hub")));
        Assert.That(set.ToString(), Does.Not.Contain("secret"));

        env["HF_HUB_CACHE"] = "/elsewhere";
        env["HF_TOKEN"] = "";
        Directory.CreateDirectory(TestPaths.NewTempDirectory("hub-home") is var folder ? folder : "");
        File.WriteAllText(Path.Combine(folder, "token"), "from-file\n");
        env["HF_HOME"] = folder;
        var fromFile = HubSettings.FromEnvironment(k => env.GetValueOrDefault(k));
        Assert.That((fromFile.CacheRoot, fromFile.Token), Is.EqualTo(("/elsewhere", "from-file")));
    }
}

public sealed class DownloadLockTests
{
    /// <summary>
    /// The downloader waits while another process holds a blob's lock file, recognising the holder by what .NET reports
    /// for a refused exclusive (flock) open; any other failure to open the lock (a full disk) is a cache error.
    /// </summary>
    [Test]
    public void A_held_lock_file_is_told_from_other_failures()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("hub-lock"), "x.lock");
        using var held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var error = Assert.Throws<IOException>(() => new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None).Dispose())!;
        Assert.That(BlobDownloader.IsLockHeld(error), Is.True, $"HResult {error.HResult}");
        Assert.That(BlobDownloader.IsLockHeld(new IOException("No space left on device", 28)), Is.False);
    }
}
