using System.Text.Json;
using Nuggets.Core;

namespace Nuggets.Cli.Tests;

/// <summary>
/// <c>hf://</c> models and datasets through the real tool against <see cref="FakeHub"/> on loopback (HF_ENDPOINT), with
/// HF_HOME in a fresh folder: downloads land in huggingface_hub's cache layout, are reused (from this tool's earlier run
/// or a cache another tool filled), resumed after a dropped connection, refused when their hash is wrong, read offline,
/// and pinned in the manifest by commit; gated repositories need HF_TOKEN, which is never printed or written.
/// </summary>
public sealed class HuggingFaceHubTests
{
    private const string Token = "hf_secret_token_4711";
    private static readonly byte[] Stories = File.ReadAllBytes(TestPaths.StoriesModel);
    private const string StoriesSha256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

    private static readonly FakeHub.HubFile Model = new(Stories, Lfs: true);
    private static readonly FakeHub.HubFile SecondPart = new([.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))], Lfs: true);
    private static readonly FakeHub.HubFile Readme = new("# tiny\n"u8.ToArray(), Lfs: false);
    private static readonly FakeHub.HubFile Train0 = new(File.ReadAllBytes(TestPaths.Data("alpaca/alpaca_2k.parquet")), Lfs: true);
    private static readonly FakeHub.HubFile Train1 = new(File.ReadAllBytes(TestPaths.Data("alpaca/alpaca_2k.snappy.parquet")), Lfs: true);
    private static readonly FakeHub.HubFile Jsonl = new(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', Workspace.Short(0, 8)) + "\n"), Lfs: false);

    private static readonly string ModelCommit = FakeHub.Commit("stories main");
    private static readonly string OldModelCommit = FakeHub.Commit("stories v1");
    private static readonly string DataCommit = FakeHub.Commit("alpaca main");
    private static readonly string ConversionCommit = FakeHub.Commit("jsonl parquet");

    private const string ModelUri = "hf://tiny/stories-GGUF/stories260K-F32.gguf";
    private const string DatasetUri = "hf://datasets/tiny/alpaca-mini/data/*.parquet";

    private static FakeHub NewHub() => new FakeHub()
        .Add(new FakeHub.Repo("models", "tiny/stories-GGUF")
            .With("main", ModelCommit, new()
            {
                ["README.md"] = Readme,
                ["stories260K-F32.gguf"] = Model,
                ["stories260K-Q8_0.gguf"] = Model,
                ["split/stories260K-Q4_K_M-00001-of-00002.gguf"] = Model,
                ["split/stories260K-Q4_K_M-00002-of-00002.gguf"] = SecondPart,
            })
            .With("v1", OldModelCommit, new() { ["stories260K-F32.gguf"] = Model }))
        .Add(new FakeHub.Repo("models", "tiny/ambiguous-GGUF")
            .With("main", FakeHub.Commit("ambiguous"), new() { ["a/m-Q4_K_M.gguf"] = SecondPart, ["b/m-Q4_K_M.gguf"] = SecondPart, ["m-F16.gguf"] = SecondPart }))
        .Add(new FakeHub.Repo("models", "tiny/gated-GGUF", Token)
            .With("main", FakeHub.Commit("gated"), new() { ["stories260K-F32.gguf"] = Model }))
        .Add(new FakeHub.Repo("datasets", "tiny/alpaca-mini")
            .With("main", DataCommit, new() { ["README.md"] = Readme, ["data/train-00000-of-00002.parquet"] = Train0, ["data/train-00001-of-00002.parquet"] = Train1 }))
        .Add(new FakeHub.Repo("datasets", "tiny/jsonl-only")
            .With("main", FakeHub.Commit("jsonl main"), new() { ["train.jsonl"] = Jsonl })
            .With("refs/convert/parquet", ConversionCommit, new() { ["default/train/0000.parquet"] = Train0 }));

    private sealed class Session(FakeHub hub)
    {
        public Workspace Work { get; } = new();
        public string Home => Work.Path("hf-home");
        public string Cache => Path.Combine(Home, "hub");
        public string Out => Work.Path("out");

        public CliResult Run(string model, string dataset, Dictionary<string, string>? environment = null, string anchors = "random:2")
        {
            var variables = new Dictionary<string, string>
            {
                ["HF_ENDPOINT"] = hub.Endpoint, ["HF_HOME"] = Home, ["HF_TOKEN"] = "", ["HUGGING_FACE_HUB_TOKEN"] = "", ["HF_HUB_CACHE"] = "",
                ["HF_HUB_OFFLINE"] = "", ["NUGGETS_PROGRESS_SECONDS"] = "0",
            };
            foreach (var (key, value) in environment ?? []) variables[key] = value;
            return CliRunner.Run(Work.Root, variables,
            [
                "run", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), "--model", model, "--dataset", dataset,
                "--anchors", anchors, "--set", "dataset.maxRows=6", "--output", Out, "--cache", Work.Path("cache.duckdb"), "--no-report",
            ]);
        }

        public JsonElement Manifest => Workspace.Manifest(Out);

        public string Snapshot(string repoFolder, string commit, string path) => Path.Combine(Cache, repoFolder, "snapshots", commit, path);
    }

    private static void AssertOk(CliResult result) => Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());

    private static void AssertFails(CliResult result, int exitCode, params string[] words)
    {
        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.ToString());
        var error = result.StdErr.Split('\n').Single(l => l.StartsWith("error: ", StringComparison.Ordinal));
        foreach (var word in words) Assert.That(error, Does.Contain(word), result.ToString());
    }

    [Test]
    public void A_first_run_downloads_into_the_huggingface_cache_and_a_second_downloads_nothing()
    {
        using var hub = NewHub();
        var s = new Session(hub);
        var first = s.Run(ModelUri, DatasetUri);
        AssertOk(first);
        Assert.That(hub.Downloads.Select(d => d.Path).Order(), Is.EquivalentTo(new[] { $"/cdn/{Model.Sha256}", $"/cdn/{Train0.Sha256}", $"/cdn/{Train1.Sha256}" }));
        Assert.That(first.StdErr, Does.Contain("nuggets: downloaded models/tiny/stories-GGUF/stories260K-F32.gguf: 1.2 MB"));

        // huggingface_hub's layout: blobs named by SHA-256, snapshot links relative to them, refs/main holding the commit.
        var models = Path.Combine(s.Cache, "models--tiny--stories-GGUF");
        Assert.That(File.ReadAllText(Path.Combine(models, "refs", "main")), Is.EqualTo(ModelCommit));
        var link = new FileInfo(s.Snapshot("models--tiny--stories-GGUF", ModelCommit, "stories260K-F32.gguf"));
        Assert.That(link.LinkTarget, Is.EqualTo($"../../blobs/{StoriesSha256}"));
        Assert.That(File.ReadAllBytes(Path.Combine(models, "blobs", StoriesSha256)), Is.EqualTo(Stories));
        Assert.That(File.Exists(s.Snapshot("datasets--tiny--alpaca-mini", DataCommit, "data/train-00001-of-00002.parquet")));
        Assert.That(Directory.GetFiles(s.Cache, "*.incomplete", SearchOption.AllDirectories), Is.Empty);

        var manifest = s.Manifest;
        Assert.That(manifest.GetProperty("model").GetProperty("sha256").GetString(), Is.EqualTo(StoriesSha256));
        Assert.That(manifest.GetProperty("model").GetProperty("path").GetString(), Is.EqualTo(link.FullName));
        Assert.That(manifest.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("path").GetString()), Is.EqualTo(new[]
        {
            s.Snapshot("datasets--tiny--alpaca-mini", DataCommit, "data/train-00000-of-00002.parquet"),
            s.Snapshot("datasets--tiny--alpaca-mini", DataCommit, "data/train-00001-of-00002.parquet"),
        }));
        var hubInputs = manifest.GetProperty("hub").EnumerateArray().ToDictionary(h => h.GetProperty("setting").GetString()!);
        Assert.That(hubInputs["model.path"].GetProperty("uri").GetString(), Is.EqualTo(ModelUri));
        Assert.That(hubInputs["model.path"].GetProperty("revision").GetString(), Is.EqualTo("main"));
        Assert.That(hubInputs["model.path"].GetProperty("commit").GetString(), Is.EqualTo(ModelCommit));
        Assert.That(hubInputs["model.path"].GetProperty("files")[0].GetProperty("sha256").GetString(), Is.EqualTo(StoriesSha256));
        Assert.That(hubInputs["dataset.paths"].GetProperty("repo").GetString(), Is.EqualTo("datasets/tiny/alpaca-mini"));
        Assert.That(hubInputs["dataset.paths"].GetProperty("commit").GetString(), Is.EqualTo(DataCommit));
        Assert.That(hubInputs["dataset.paths"].GetProperty("files").GetArrayLength(), Is.EqualTo(2));

        hub.ClearLog();
        AssertOk(s.Run(ModelUri, DatasetUri));
        Assert.That(hub.Downloads, Is.Empty, "the second run reads every file from the cache");
        Assert.That(s.Manifest.GetProperty("hub").ToString(), Is.EqualTo(manifest.GetProperty("hub").ToString()));
    }

    [Test]
    public void A_cache_another_tool_filled_is_reused_and_offline_mode_reads_it_without_a_server()
    {
        using var hub = NewHub();
        var s = new Session(hub);
        // What huggingface_hub leaves after hf_hub_download of the model and snapshot_download of the dataset.
        Prepopulate(s.Cache, "models--tiny--stories-GGUF", ModelCommit, ("stories260K-F32.gguf", Model));
        Prepopulate(s.Cache, "datasets--tiny--alpaca-mini", DataCommit, ("data/train-00000-of-00002.parquet", Train0), ("data/train-00001-of-00002.parquet", Train1));

        AssertOk(s.Run(ModelUri, DatasetUri));
        Assert.That(hub.Downloads, Is.Empty, "files another tool downloaded are used as they are");
        Assert.That(s.Manifest.GetProperty("model").GetProperty("sha256").GetString(), Is.EqualTo(StoriesSha256));

        hub.Dispose();
        hub.ClearLog();
        // The Hub unreachable without HF_HUB_OFFLINE: the cache is used, with a warning, as huggingface_hub does.
        var unreachable = s.Run(ModelUri, DatasetUri);
        AssertOk(unreachable);
        Assert.That(unreachable.StdErr, Does.Contain($"warning: cannot reach {hub.Endpoint}").And.Contain($"as cached at commit {ModelCommit}"));

        var offline = new Dictionary<string, string> { ["HF_HUB_OFFLINE"] = "1" };
        AssertOk(s.Run(ModelUri, DatasetUri, offline));
        Assert.That(hub.Requests, Is.Empty);
        Assert.That(s.Manifest.GetProperty("hub")[0].GetProperty("commit").GetString(), Is.EqualTo(ModelCommit).Or.EqualTo(DataCommit));

        // Offline with nothing cached for the input: a clear error, no network.
        AssertFails(s.Run("hf://tiny/stories-GGUF:Q8_0", DatasetUri, offline), ExitCodes.HubOffline, "HF_HUB_OFFLINE", "hf://tiny/stories-GGUF:Q8_0");
        AssertFails(s.Run("hf://tiny/other-GGUF/m.gguf", DatasetUri, offline), ExitCodes.HubOffline, "HF_HUB_OFFLINE", "was ever downloaded");
        AssertFails(s.Run("hf://tiny/other-GGUF/m.gguf", DatasetUri), ExitCodes.HubDownload, "cannot reach", "after 3 tries");
    }

    private static void Prepopulate(string cache, string repoFolder, string commit, params (string Path, FakeHub.HubFile File)[] files)
    {
        foreach (var (path, file) in files)
        {
            var blob = Path.Combine(cache, repoFolder, "blobs", file.Etag);
            Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
            File.WriteAllBytes(blob, file.Content);
            var link = Path.Combine(cache, repoFolder, "snapshots", commit, path);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, Path.GetRelativePath(Path.GetDirectoryName(link)!, blob));
        }
        Directory.CreateDirectory(Path.Combine(cache, repoFolder, "refs"));
        File.WriteAllText(Path.Combine(cache, repoFolder, "refs", "main"), commit);
    }

    [Test]
    public void A_dropped_connection_is_resumed_with_a_range_request_as_is_a_partial_file_an_earlier_run_left()
    {
        using var hub = NewHub();
        var s = new Session(hub);
        hub.CutOnce(Model);
        // An earlier run stopped after 100,000 bytes of the first Parquet file.
        var partial = Path.Combine(s.Cache, "datasets--tiny--alpaca-mini", "blobs", Train0.Sha256 + ".incomplete");
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        File.WriteAllBytes(partial, Train0.Content[..100_000]);

        AssertOk(s.Run(ModelUri, DatasetUri));
        var model = hub.Downloads.Where(d => d.Path == $"/cdn/{Model.Sha256}").ToList();
        Assert.That(model, Has.Count.EqualTo(2));
        Assert.That(model[0].Range, Is.Null);
        Assert.That(model[1].Range, Is.EqualTo($"bytes={Stories.Length / 2}-"), "the second request asks for the rest only");
        Assert.That(hub.Downloads.Single(d => d.Path == $"/cdn/{Train0.Sha256}").Range, Is.EqualTo("bytes=100000-"));
        Assert.That(s.Manifest.GetProperty("model").GetProperty("sha256").GetString(), Is.EqualTo(StoriesSha256));
        Assert.That(File.Exists(partial), Is.False);
        Assert.That(File.ReadAllBytes(Path.Combine(s.Cache, "datasets--tiny--alpaca-mini", "blobs", Train0.Sha256)), Is.EqualTo(Train0.Content));
    }

    [Test]
    public void A_run_waits_for_another_process_downloading_the_same_file_and_then_uses_its_file()
    {
        using var hub = NewHub();
        var s = new Session(hub);
        // This test plays the other process: it holds the model blob's lock, as huggingface_hub or another run would.
        var models = Path.Combine(s.Cache, "models--tiny--stories-GGUF");
        var lockFile = Path.Combine(s.Cache, ".locks", "models--tiny--stories-GGUF", StoriesSha256 + ".lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        var held = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var run = Task.Run(() => s.Run(ModelUri, DatasetUri));

        // Once the run has fetched the datasets it is at the model: it must wait, not download.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (hub.Downloads.Count < 2 && waited.Elapsed < TimeSpan.FromMinutes(2) && !run.IsCompleted) Thread.Sleep(50);
        Thread.Sleep(1500);
        Assert.That(run.IsCompleted, Is.False, run.IsCompleted ? run.Result.ToString() : "");
        Assert.That(hub.Downloads.Select(d => d.Path), Has.None.EqualTo($"/cdn/{Model.Sha256}"));

        Directory.CreateDirectory(Path.Combine(models, "blobs"));
        File.WriteAllBytes(Path.Combine(models, "blobs", StoriesSha256), Stories);
        held.Dispose();
        AssertOk(run.Result);
        Assert.That(hub.Downloads.Select(d => d.Path), Has.None.EqualTo($"/cdn/{Model.Sha256}"), "the other process's file is used");
        Assert.That(s.Manifest.GetProperty("model").GetProperty("sha256").GetString(), Is.EqualTo(StoriesSha256));
    }

    [Test]
    public void A_download_stopped_by_SIGINT_keeps_its_partial_file_and_the_next_run_resumes_it()
    {
        using var hub = NewHub();
        var s = new Session(hub);
        hub.Stall(Model); // the model's body stops after its first piece, so the stop surely lands mid-download
        var environment = new Dictionary<string, string>
        {
            ["HF_ENDPOINT"] = hub.Endpoint, ["HF_HOME"] = s.Home, ["HF_TOKEN"] = "", ["HF_HUB_CACHE"] = "", ["HF_HUB_OFFLINE"] = "", ["NUGGETS_PROGRESS_SECONDS"] = "0",
        };
        string[] args = ["run", "--config", Path.Combine(TestPaths.RepoRoot, "nuggets.config.json"), "--model", ModelUri, "--dataset", DatasetUri,
            "--anchors", "random:2", "--set", "dataset.maxRows=6", "--output", s.Out, "--cache", s.Work.Path("cache.duckdb"), "--no-report"];
        // Stopped once some of the model has arrived: the plain progress line says how much.
        var sent = false;
        var stopped = SignalRunner.Run(s.Work.Root, args, line =>
        {
            if (sent || !line.StartsWith("nuggets: downloading models/tiny/stories-GGUF/stories260K-F32.gguf: ", StringComparison.Ordinal)
                || line.Contains(": 0 B/", StringComparison.Ordinal)) return null;
            sent = true;
            return SignalRunner.SigInt;
        }, environment);
        Assert.That(stopped.ExitCode, Is.EqualTo(ExitCodes.Cancelled), stopped.ToString());
        Assert.That(stopped.Errors.Single(), Does.Contain("stopped by SIGINT while fetching the Hugging Face Hub inputs").And.Contain("resumes"));
        var partial = new FileInfo(Path.Combine(s.Cache, "models--tiny--stories-GGUF", "blobs", StoriesSha256 + ".incomplete"));
        Assert.That(partial.Exists && partial.Length > 0 && partial.Length < Stories.Length, Is.True, $"{partial.FullName}: {(partial.Exists ? partial.Length : -1)} bytes");

        hub.Flow();
        hub.ClearLog();
        AssertOk(s.Run(ModelUri, DatasetUri));
        Assert.That(hub.Downloads.Where(d => d.Path == $"/cdn/{Model.Sha256}").Select(d => d.Range), Is.EqualTo(new[] { $"bytes={partial.Length}-" }));
        Assert.That(s.Manifest.GetProperty("model").GetProperty("sha256").GetString(), Is.EqualTo(StoriesSha256));
    }

    [Test]
    public void A_corrupted_download_is_caught_by_its_sha256_and_nothing_is_placed()
    {
        using var hub = NewHub();
        var s = new Session(hub);
        hub.Corrupt(Model);
        AssertFails(s.Run(ModelUri, DatasetUri), ExitCodes.HubDownload, "SHA-256", StoriesSha256, "stories260K-F32.gguf", "discarded");
        var models = Path.Combine(s.Cache, "models--tiny--stories-GGUF");
        Assert.That(Directory.Exists(Path.Combine(models, "snapshots")) ? Directory.GetFileSystemEntries(Path.Combine(models, "snapshots"), "*", SearchOption.AllDirectories).Where(File.Exists) : [], Is.Empty);
        Assert.That(Directory.GetFiles(Path.Combine(models, "blobs")), Is.Empty, "neither the blob nor its .incomplete file is left");
        Assert.That(File.Exists(Path.Combine(s.Out, "manifest.json")), Is.False);
    }

    [Test]
    public void A_gated_repository_needs_HF_TOKEN_which_is_never_printed_nor_written()
    {
        using var hub = NewHub();
        var s = new Session(hub);
        const string gated = "hf://tiny/gated-GGUF/stories260K-F32.gguf";
        AssertFails(s.Run(gated, DatasetUri), ExitCodes.HubAccessDenied, "models/tiny/gated-GGUF", "gated", "HF_TOKEN");
        AssertFails(s.Run(gated, DatasetUri, new() { ["HF_TOKEN"] = "hf_wrong" }), ExitCodes.HubAccessDenied, "no access");

        var ok = s.Run(gated, DatasetUri, new() { ["HF_TOKEN"] = Token });
        AssertOk(ok);
        Assert.That(ok.StdOut + ok.StdErr, Does.Not.Contain(Token));
        Assert.That(File.ReadAllText(Path.Combine(s.Out, "manifest.json")), Does.Not.Contain(Token));
        Assert.That(Directory.GetFiles(s.Work.Root, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".duckdb", StringComparison.Ordinal) && new FileInfo(f).Length < 100_000)
            .Where(f => File.ReadAllText(f).Contains(Token, StringComparison.Ordinal)), Is.Empty, "no file the run wrote holds the token");
        var requests = hub.Requests;
        Assert.That(requests.Where(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).Select(r => r.Authorization), Has.All.Null, "the token never goes to the file storage");
        Assert.That(requests.Where(r => r.Path.Contains("gated", StringComparison.Ordinal) && r.Authorization is not null).Select(r => r.Authorization).Distinct(),
            Is.EquivalentTo(new[] { "Bearer hf_wrong", $"Bearer {Token}" }));
    }

    [Test]
    public void A_quantisation_picks_its_file_and_a_split_model_comes_with_every_part()
    {
        using var hub = NewHub();
        var s = new Session(hub);
        AssertOk(s.Run("hf://tiny/stories-GGUF:q8_0", DatasetUri));
        var model = s.Manifest.GetProperty("hub").EnumerateArray().Single(h => h.GetProperty("setting").GetString() == "model.path");
        Assert.That(model.GetProperty("files")[0].GetProperty("path").GetString(), Is.EqualTo("stories260K-Q8_0.gguf"));

        AssertOk(s.Run("hf://tiny/stories-GGUF:Q4_K_M", DatasetUri));
        var split = s.Manifest.GetProperty("hub").EnumerateArray().Single(h => h.GetProperty("setting").GetString() == "model.path");
        Assert.That(split.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()),
            Is.EqualTo(new[] { "split/stories260K-Q4_K_M-00001-of-00002.gguf", "split/stories260K-Q4_K_M-00002-of-00002.gguf" }));
        Assert.That(s.Manifest.GetProperty("model").GetProperty("path").GetString(),
            Is.EqualTo(s.Snapshot("models--tiny--stories-GGUF", ModelCommit, "split/stories260K-Q4_K_M-00001-of-00002.gguf")), "llama.cpp gets the first part");
        Assert.That(File.ReadAllBytes(s.Snapshot("models--tiny--stories-GGUF", ModelCommit, "split/stories260K-Q4_K_M-00002-of-00002.gguf")), Is.EqualTo(SecondPart.Content));
    }

    [Test]
    public void An_ambiguous_or_missing_quantisation_or_repository_fails_with_what_there_is()
    {
        using var hub = NewHub();
        var s = new Session(hub);
        AssertFails(s.Run("hf://tiny/ambiguous-GGUF:Q4_K_M", DatasetUri), ExitCodes.Config, "a/m-Q4_K_M.gguf", "b/m-Q4_K_M.gguf");
        AssertFails(s.Run("hf://tiny/stories-GGUF:Q5_K_S", DatasetUri), ExitCodes.HubNotFound, "'Q5_K_S'", "F32, Q4_K_M, Q8_0");
        AssertFails(s.Run("hf://tiny/missing-GGUF/m.gguf", DatasetUri), ExitCodes.HubNotFound, "models/tiny/missing-GGUF", "not found");
        AssertFails(s.Run("hf://tiny/stories-GGUF@v9/stories260K-F32.gguf", DatasetUri), ExitCodes.HubNotFound, "revision 'v9'");
        AssertFails(s.Run("hf://tiny/stories-GGUF/nope.gguf", DatasetUri), ExitCodes.HubNotFound, "nope.gguf", "no such file");
        AssertFails(s.Run(ModelUri, "hf://datasets/tiny/alpaca-mini/data/*.jsonl", new() { ["HF_HUB_OFFLINE"] = "" }), ExitCodes.HubNotFound, "no file matches", "data/train-00000-of-00002.parquet");
        Assert.That(hub.Downloads, Is.Empty);
    }

    [Test]
    public void A_revision_pins_the_files_and_a_pinned_commit_in_the_cache_needs_no_network()
    {
        using var hub = NewHub();
        var s = new Session(hub);
        AssertOk(s.Run("hf://tiny/stories-GGUF@v1/stories260K-F32.gguf", DatasetUri));
        var model = s.Manifest.GetProperty("hub").EnumerateArray().Single(h => h.GetProperty("setting").GetString() == "model.path");
        Assert.That((model.GetProperty("revision").GetString(), model.GetProperty("commit").GetString()), Is.EqualTo(("v1", OldModelCommit)));
        Assert.That(File.ReadAllText(Path.Combine(s.Cache, "models--tiny--stories-GGUF", "refs", "v1")), Is.EqualTo(OldModelCommit));

        hub.ClearLog();
        AssertOk(s.Run($"hf://tiny/stories-GGUF@{OldModelCommit}/stories260K-F32.gguf", $"hf://datasets/tiny/alpaca-mini@{DataCommit}/data/*.parquet"));
        Assert.That(hub.Requests.Where(r => r.Path.Contains("stories-GGUF", StringComparison.Ordinal)), Is.Empty, "a file named at a pinned, cached commit needs no request");
        Assert.That(hub.Downloads, Is.Empty, "a glob at a pinned commit asks for the listing only");

        // doctor checks a Hub model from the cache and never downloads one.
        hub.ClearLog();
        var environment = new Dictionary<string, string> { ["HF_HOME"] = s.Home, ["HF_ENDPOINT"] = hub.Endpoint, ["HF_TOKEN"] = "", ["HF_HUB_CACHE"] = "" };
        File.WriteAllText(s.Work.Path("nuggets.config.json"), """{ "model": { "path": "hf://tiny/stories-GGUF@v1/stories260K-F32.gguf" } }""");
        var cached = CliRunner.Run(s.Work.Root, environment, "doctor", "--json");
        Assert.That(JsonDocument.Parse(cached.StdOut).RootElement.GetProperty("model").GetString(), Does.Contain("stories260K-F32.gguf: loads"), cached.ToString());
        File.WriteAllText(s.Work.Path("nuggets.config.json"), """{ "model": { "path": "hf://tiny/stories-GGUF:Q8_0" } }""");
        var notCached = CliRunner.Run(s.Work.Root, environment, "doctor", "--json");
        Assert.That(notCached.ExitCode, Is.EqualTo(ExitCodes.Success), notCached.ToString());
        Assert.That(JsonDocument.Parse(notCached.StdOut).RootElement.GetProperty("model").GetString(), Does.Contain("not in the Hugging Face cache yet"));
        Assert.That(hub.Requests, Is.Empty);
    }

    [Test]
    public void A_dataset_without_parquet_files_is_read_from_the_hubs_parquet_conversion_and_small_files_are_checked_by_git_hash()
    {
        using var hub = NewHub();
        var s = new Session(hub);
        var result = s.Run(ModelUri, "hf://datasets/tiny/jsonl-only/default/train/*.parquet");
        AssertOk(result);
        Assert.That(result.StdErr, Does.Contain("refs/convert/parquet"));
        var data = s.Manifest.GetProperty("hub").EnumerateArray().Single(h => h.GetProperty("setting").GetString() == "dataset.paths");
        Assert.That((data.GetProperty("revision").GetString(), data.GetProperty("commit").GetString()), Is.EqualTo(("refs/convert/parquet", ConversionCommit)));
        Assert.That(File.ReadAllText(Path.Combine(s.Cache, "datasets--tiny--jsonl-only", "refs", "refs", "convert", "parquet")), Is.EqualTo(ConversionCommit));

        // An anchors file from the Hub: a small file kept in git, checked by its git hash and named by it, as its ETag is.
        AssertOk(s.Run(ModelUri, DatasetUri, anchors: "hf://datasets/tiny/jsonl-only/train.jsonl"));
        Assert.That(File.Exists(Path.Combine(s.Cache, "datasets--tiny--jsonl-only", "blobs", Jsonl.GitOid)));
        var anchors = s.Manifest.GetProperty("anchors");
        Assert.That(anchors.GetProperty("path").GetString(), Is.EqualTo(s.Snapshot("datasets--tiny--jsonl-only", FakeHub.Commit("jsonl main"), "train.jsonl")));
        Assert.That(anchors.GetProperty("count").GetInt32(), Is.EqualTo(8));
        var hubAnchors = s.Manifest.GetProperty("hub").EnumerateArray().Single(h => h.GetProperty("setting").GetString() == "anchors.path");
        Assert.That(hubAnchors.GetProperty("files")[0].GetProperty("sha256").ValueKind, Is.EqualTo(JsonValueKind.Null), "not an LFS file");
    }

    [Test]
    public void Rate_limiting_is_retried_and_fails_clearly_when_it_persists()
    {
        using var hub = NewHub();
        var s = new Session(hub);
        hub.RateLimit(3);
        AssertOk(s.Run(ModelUri, DatasetUri));

        hub.RateLimit(1000);
        AssertFails(s.Run("hf://tiny/stories-GGUF:Q8_0", DatasetUri), ExitCodes.HubRateLimited, "429", "5 tries");
        hub.RateLimit(0);
    }

    [Test]
    public void A_full_disk_during_a_download_fails_clearly_and_removes_the_partial_file()
    {
        MountNamespace.RequireSupport();
        using var hub = NewHub();
        var w = new Workspace();
        var result = MountNamespace.Run(w.Root, """
            mkdir -p "$W/mnt" && mount -t tmpfs -o size=512k tmpfs "$W/mnt"
            HF_HUB_CACHE="$W/mnt/hub" $NUGGETS run --config "$NUGGETS_CONFIG" --model "$MODEL" --dataset "$DATASET" --output "$W/out" --cache "$W/cache.duckdb" --quiet 2> "$W/err"
            echo $? > "$W/rc"
            find "$W/mnt" -type f > "$W/left"
            """, new Dictionary<string, string>
        {
            ["W"] = w.Root, ["MODEL"] = ModelUri, ["DATASET"] = DatasetUri, ["HF_ENDPOINT"] = hub.Endpoint, ["HF_HOME"] = w.Path("home"),
            ["HF_TOKEN"] = "", ["HF_HUB_OFFLINE"] = "",
        });
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var error = File.ReadAllText(w.Path("err"));
        Assert.That(File.ReadAllText(w.Path("rc")).Trim(), Is.EqualTo(ExitCodes.HubCacheWrite.ToString()), error);
        Assert.That(error, Does.StartWith("error: ").And.Contain("No space left on device").And.Contain(w.Path("mnt/hub")));
        Assert.That(File.ReadAllLines(w.Path("left")).Where(f => f.EndsWith(".incomplete", StringComparison.Ordinal)), Is.Empty, "no partial blob is left");
    }
}
