using Nuggets.Core.Anchors;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Pipeline;
using Nuggets.Core.Tests.Fakes;

namespace Nuggets.Core.Tests.Anchors;

/// <summary>
/// Picked anchors are pinned in a lock file and stay put while the data grows, so a grown dataset rescores only its new
/// rows; on the fake engine, whose pair counts are exact.
/// </summary>
public sealed class AnchorPinningTests
{
    private static FakePipeline WithData(int rows)
    {
        var pipeline = new FakePipeline();
        pipeline.Files["data"] = FakePipeline.Examples(rows);
        return pipeline;
    }

    private static string LockPath(FakePipeline pipeline) => Path.Combine(pipeline.Directory, "nuggets.anchors.lock.json");

    private static void Grow(FakePipeline pipeline, int rows)
    {
        var data = pipeline.Files["data"];
        data.AddRange(FakePipeline.Examples(rows, offset: 1_000 + data.Count).Select((e, i) => e with { Row = data.Count + i }));
    }

    private static Action<NuggetsOptions> Configure(AnchorMethod method, int count = 8) => o =>
    {
        (o.Anchors.Method, o.Anchors.Count) = (method, count);
        o.Selection.Prune = false; // every pair of a candidate is scored, so pair counts are exact
    };

    [TestCase(AnchorMethod.KMeans)]
    [TestCase(AnchorMethod.Random)]
    public void A_dataset_grown_in_steps_scores_only_the_new_rows_pairs(AnchorMethod method)
    {
        var pipeline = WithData(40);
        var first = pipeline.Run(Configure(method));
        Assert.That(first.AnchorLock!.Status, Is.EqualTo(AnchorLockStatus.Created));
        Assert.That(File.Exists(LockPath(pipeline)), "the pick is pinned");
        Assert.That(first.Manifest!.Counts.PairsDecoded, Is.EqualTo((40 - 8) * 8));

        foreach (var step in new[] { 1, 3, 5 })
        {
            Grow(pipeline, step);
            var run = pipeline.Run(Configure(method));

            Assert.That(run.AnchorLock!.Status, Is.EqualTo(AnchorLockStatus.Reused));
            Assert.That(run.Anchors.Hash, Is.EqualTo(first.Anchors.Hash), "the anchors did not move");
            Assert.That(run.Manifest!.Counts.PairsDecoded, Is.EqualTo(step * 8), $"only the {step} new rows' pairs are scored");
            Assert.That(run.Manifest.Counts.ZeroShotDecoded, Is.Zero);
            Assert.That(run.Warning, Is.Null, "a few new rows are no drift");
        }
    }

    [Test]
    public void Without_pinning_kmeans_anchors_follow_the_data_and_nothing_is_written()
    {
        var pipeline = WithData(40);
        var result = pipeline.Run(o => { Configure(AnchorMethod.KMeans)(o); o.Anchors.Pin = false; });

        Assert.That(result.AnchorLock, Is.Null);
        Assert.That(File.Exists(LockPath(pipeline)), Is.False);
        Assert.That(result.Manifest!.Anchors.Lock, Is.Null);
    }

    [Test]
    public void The_manifest_records_the_lock_and_what_kmeans_clustered()
    {
        var pipeline = WithData(30);
        var result = pipeline.Run(o => { Configure(AnchorMethod.KMeans, 5)(o); o.Anchors.KmeansRestarts = 3; });
        var anchors = result.Manifest!.Anchors;

        Assert.That(anchors.Lock, Is.EqualTo(new ManifestAnchorLock(LockPath(pipeline), AnchorLockStatus.Created, null, null)));
        Assert.That(anchors.Clustering!.Rows, Is.EqualTo(30));
        Assert.That((anchors.Clustering.Clustered, anchors.Clustering.Sampled, anchors.Clustering.Restarts), Is.EqualTo((30, false, 3)), "every row clustered");
        Assert.That(anchors.Clustering.BestRestart, Is.InRange(0, 2));
        Assert.That(anchors.Clustering.Dimensions, Is.EqualTo(8));

        var reused = pipeline.Run(o => { Configure(AnchorMethod.KMeans, 5)(o); o.Anchors.KmeansRestarts = 3; });
        Assert.That(reused.Manifest!.Anchors.Clustering, Is.EqualTo(anchors.Clustering), "a reused pick reports the clustering that made it");
    }

    [Test]
    public void Above_kmeansSample_rows_a_seeded_sample_is_clustered_and_recorded()
    {
        var pipeline = WithData(30);
        var result = pipeline.Run(o => { Configure(AnchorMethod.KMeans, 4)(o); o.Anchors.KmeansSample = 12; });

        Assert.That((result.Manifest!.Anchors.Clustering!.Rows, result.Manifest.Anchors.Clustering.Clustered, result.Manifest.Anchors.Clustering.Sampled),
            Is.EqualTo((30L, 12, true)));
        Assert.That(pipeline.Embedder.Embedded, Is.EqualTo(12), "only the sample is embedded");
    }

    [Test]
    public void A_lock_made_under_other_settings_is_kept_and_the_run_picks_unpinned_with_a_warning()
    {
        var pipeline = WithData(40);
        pipeline.Run(Configure(AnchorMethod.Random, 8));
        var pinned = File.ReadAllText(LockPath(pipeline));

        var changed = pipeline.Run(Configure(AnchorMethod.Random, 6));

        Assert.That(changed.AnchorLock!.Status, Is.EqualTo(AnchorLockStatus.Unpinned));
        Assert.That(changed.Anchors.Examples, Has.Count.EqualTo(6));
        Assert.That(changed.Warning, Does.StartWith(LockPath(pipeline)).And.Contain("the lock pins random:8, seed 42, from dataset, but this run asks for random:6")
            .And.Contain("dotnet nuggets anchors --refresh"));
        Assert.That(File.ReadAllText(LockPath(pipeline)), Is.EqualTo(pinned), "only --refresh replaces a lock");

        pipeline.RefreshAnchors = true;
        pipeline.Run(Configure(AnchorMethod.Random, 6), PipelineMode.Anchors);
        pipeline.RefreshAnchors = false;
        Assert.That(pipeline.Run(Configure(AnchorMethod.Random, 6)).AnchorLock!.Status, Is.EqualTo(AnchorLockStatus.Reused));
    }

    [Test]
    public void A_deleted_anchor_row_leaves_the_lock_and_the_run_unpinned()
    {
        var pipeline = WithData(40);
        var first = pipeline.Run(Configure(AnchorMethod.Random));
        var gone = first.Anchors.Examples[3];
        pipeline.Files["data"] = pipeline.Files["data"].Where(e => e.ContentHash != gone.ContentHash).Select((e, i) => e with { Row = i }).ToList();

        var again = pipeline.Run(Configure(AnchorMethod.Random));

        Assert.That(again.AnchorLock!.Status, Is.EqualTo(AnchorLockStatus.Unpinned));
        Assert.That(again.AnchorLock.Reason, Is.EqualTo("1 of the lock's 8 pinned anchor rows are not in this run's data"));
        Assert.That(again.Anchors.ContentHashes, Does.Not.Contain(gone.ContentHash));
        Assert.That(AnchorLockFile.Read(LockPath(pipeline))!.Anchors, Does.Contain(gone.ContentHash), "the lock is kept");
    }

    [Test]
    public void A_shard_uses_a_lock_that_fits_but_never_writes_one()
    {
        var pipeline = WithData(40);
        var shard = pipeline.Run(o => { Configure(AnchorMethod.Random)(o); (o.Shard.Index, o.Shard.Count) = (1, 4); }, PipelineMode.Score);
        Assert.That(shard.AnchorLock!.Status, Is.EqualTo(AnchorLockStatus.Unpinned));
        Assert.That(shard.Warning, Does.Contain("run `dotnet nuggets anchors` before submitting"));
        Assert.That(File.Exists(LockPath(pipeline)), Is.False, "shards would race for one file");

        var pinned = pipeline.Run(Configure(AnchorMethod.Random), PipelineMode.Anchors);
        var reused = pipeline.Run(o => { Configure(AnchorMethod.Random)(o); (o.Shard.Index, o.Shard.Count) = (1, 4); }, PipelineMode.Score);
        Assert.That(reused.AnchorLock!.Status, Is.EqualTo(AnchorLockStatus.Reused));
        Assert.That(reused.Anchors.Hash, Is.EqualTo(pinned.Anchors.Hash));
    }

    [Test]
    public void A_lock_that_cannot_be_written_costs_the_pin_not_the_run()
    {
        var pipeline = WithData(30);
        Directory.CreateDirectory(LockPath(pipeline) + ".d");
        var result = pipeline.Run(o => { Configure(AnchorMethod.Random)(o); o.Anchors.LockFile = Path.Combine(LockPath(pipeline) + ".d", "missing", "lock.json"); });

        Assert.That(result.Manifest, Is.Not.Null, "the outputs were published");
        Assert.That(result.Warning, Does.Contain("the anchors were not pinned").And.Contain("'anchors.lockFile'"));
    }

    [Test]
    public void Refresh_picks_again_on_purpose_as_a_fresh_pick_would()
    {
        var pipeline = WithData(40);
        pipeline.Run(Configure(AnchorMethod.Random));
        Grow(pipeline, 40);

        pipeline.RefreshAnchors = true;
        var refreshed = pipeline.Run(Configure(AnchorMethod.Random), PipelineMode.Anchors);

        var fresh = WithData(0);
        fresh.Files["data"] = pipeline.Files["data"];
        var freshPick = fresh.Run(Configure(AnchorMethod.Random), PipelineMode.Anchors);
        Assert.That(refreshed.AnchorLock!.Status, Is.EqualTo(AnchorLockStatus.Refreshed));
        Assert.That(refreshed.Anchors.Hash, Is.EqualTo(freshPick.Anchors.Hash));
        Assert.That(File.ReadAllText(LockPath(pipeline)), Is.EqualTo(File.ReadAllText(LockPath(fresh))), "the lock is a function of the pick and the data");
    }

    [Test]
    public void Doubling_the_data_warns_that_half_the_rows_are_new()
    {
        var pipeline = WithData(60);
        pipeline.Run(Configure(AnchorMethod.Random));
        Grow(pipeline, 60);

        var grown = pipeline.Run(Configure(AnchorMethod.Random));

        // Below 256 rows the sketch is the whole set, so the share is exact: 60 of today's 120 rows are new.
        Assert.That(grown.AnchorLock!.NewRowShare, Is.EqualTo(0.5));
        Assert.That(grown.Warning, Does.Contain("about 50% of the rows are new since these anchors were pinned").And.Contain("dotnet nuggets anchors --refresh"));
        Assert.That(grown.Manifest!.Anchors.Lock!.NewRowShare, Is.EqualTo(0.5));
    }

    [Test]
    public void A_stopped_run_leaves_no_lock_behind()
    {
        var pipeline = WithData(40);
        using var stop = new RunStop();
        var progress = new Progress(p => { if (p.Stage == "scoring") stop.Request(); });

        Assert.Throws<RunStoppedException>(() => pipeline.Run(Configure(AnchorMethod.Random), stop: stop, progress: progress));
        Assert.That(File.Exists(LockPath(pipeline)), Is.False, "the lock is published with the outputs");
    }

    [Test]
    public void An_unreadable_lock_file_is_a_config_error_naming_it()
    {
        var pipeline = WithData(20);
        File.WriteAllText(LockPath(pipeline), "{ \"version\": 1, \"anchors\": [\"abc\"] }");

        var error = Assert.Throws<NuggetsException>(() => pipeline.Run(Configure(AnchorMethod.Random, 4)))!;

        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.Config));
        Assert.That(error.Message, Does.StartWith(LockPath(pipeline)).And.Contain("dotnet nuggets anchors --refresh"));
        pipeline.RefreshAnchors = true;
        Assert.That(pipeline.Run(Configure(AnchorMethod.Random, 4), PipelineMode.Anchors).AnchorLock!.Status, Is.EqualTo(AnchorLockStatus.Refreshed),
            "--refresh replaces an unreadable lock");
    }

    private sealed class Progress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}
