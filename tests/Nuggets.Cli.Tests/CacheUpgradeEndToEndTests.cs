using Nuggets.Core;
using Nuggets.DuckDb.Sql;

namespace Nuggets.Cli.Tests;

/// <summary>The real tool on a score cache of schema version 1 (hex VARCHAR keys), as nuggets before the upgrade wrote it.</summary>
public sealed class CacheUpgradeEndToEndTests
{
    private static string[] Common(Workspace w, string output) =>
        ["--dataset", w.Path("data.jsonl"), "--anchors", w.Path("anchors.jsonl"), "--output", w.Path(output), "--cache", w.Path("cache.duckdb"), "--quiet", "--no-prune"];

    private static void AssertOk(CliResult result) => Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());

    /// <summary>
    /// Rewrites a current cache into version 1 with SQL: the old table definitions (copied from the version-1
    /// CacheSchema), keys back to lower-case hex text. The LIFT tables become empty version-1 tables (a run without
    /// stages writes none).
    /// </summary>
    private static void RewriteAsVersion1(string path)
    {
        using var session = DuckDbSession.Open(path);
        Assert.That(session.ScalarInt64("SELECT (SELECT count(*) FROM lift_generations) + (SELECT count(*) FROM lift_embeddings)"), Is.Zero);
        foreach (var sql in new[]
        {
            "BEGIN TRANSACTION",
            "CREATE TABLE zero_shot_v1 (fingerprint VARCHAR NOT NULL, anchor_key VARCHAR NOT NULL, sum DOUBLE NOT NULL, count INTEGER NOT NULL, " +
            "PRIMARY KEY (fingerprint, anchor_key))",
            "INSERT INTO zero_shot_v1 SELECT fingerprint, lower(hex(anchor_key)), sum, count FROM zero_shot",
            "CREATE TABLE pairs_v1 (fingerprint VARCHAR NOT NULL, candidate_key VARCHAR NOT NULL, anchor_key VARCHAR NOT NULL, sum DOUBLE NOT NULL, " +
            "count INTEGER NOT NULL, PRIMARY KEY (fingerprint, candidate_key, anchor_key))",
            "INSERT INTO pairs_v1 SELECT fingerprint, lower(hex(candidate_key)), lower(hex(anchor_key)), sum, count FROM pairs",
            "DROP TABLE zero_shot", "DROP TABLE pairs", "DROP TABLE lift_generations", "DROP TABLE lift_embeddings",
            "ALTER TABLE zero_shot_v1 RENAME TO zero_shot", "ALTER TABLE pairs_v1 RENAME TO pairs",
            "CREATE TABLE lift_generations (key VARCHAR PRIMARY KEY, text VARCHAR NOT NULL, stopped INTEGER NOT NULL, failure VARCHAR NOT NULL)",
            "CREATE TABLE lift_embeddings (key VARCHAR PRIMARY KEY, dimension INTEGER NOT NULL, vector VARCHAR NOT NULL)",
            "UPDATE nuggets_meta SET value = '1' WHERE key = 'schema_version'",
            "COMMIT",
        }) session.Execute(sql);
        Assert.That(session.ScalarInt64("SELECT count(*) FROM pairs WHERE length(candidate_key) = 64"), Is.GreaterThan(0));
    }

    [Test]
    public void A_run_on_a_version_1_cache_upgrades_it_decodes_nothing_and_writes_the_same_bytes()
    {
        var w = new Workspace();
        w.WriteAlpaca("data.jsonl", 0, 8);
        w.WriteAlpaca("anchors.jsonl", 1000, 2);
        AssertOk(w.Nuggets("run", Common(w, "first")));
        var decoded = Workspace.Manifest(w.Path("first")).GetProperty("counts").GetProperty("pairsDecoded").GetInt64();
        Assert.That(decoded, Is.EqualTo(8 * 2));
        RewriteAsVersion1(w.Path("cache.duckdb"));

        // stats opens read-only, so it cannot upgrade: it says how to; `cache upgrade` does.
        var stats = CliRunner.Run(w.Root, "cache", "stats", "--cache", w.Path("cache.duckdb"));
        Assert.That(stats.ExitCode, Is.EqualTo(ExitCodes.CacheError), stats.ToString());
        Assert.That(stats.StdErr, Does.Contain("schema version 1").And.Contain("cache upgrade"));
        var upgrade = CliRunner.Run(w.Root, "cache", "upgrade", "--cache", w.Path("cache.duckdb"));
        AssertOk(upgrade);
        Assert.That(upgrade.StdOut, Does.Contain($"upgraded {w.Path("cache.duckdb")} from schema version 1 to 2"));
        var again = CliRunner.Run(w.Root, "cache", "upgrade", "--cache", w.Path("cache.duckdb"));
        AssertOk(again);
        Assert.That(again.StdOut, Does.Contain("is already schema version 2"));

        // A run upgrades too (any open for writing does), and reads every sum back.
        RewriteAsVersion1(w.Path("cache.duckdb"));
        var rerun = w.Nuggets("run", Common(w, "second"));
        AssertOk(rerun);
        Assert.That(rerun.StdErr, Does.Contain($"upgraded score cache {w.Path("cache.duckdb")} from schema version 1 to 2"));
        var counts = Workspace.Manifest(w.Path("second")).GetProperty("counts");
        Assert.That(counts.GetProperty("pairsDecoded").GetInt64(), Is.Zero);
        Assert.That(counts.GetProperty("zeroShotDecoded").GetInt64(), Is.Zero);
        Assert.That(counts.GetProperty("pairsFromCache").GetInt64(), Is.EqualTo(decoded));
        Assert.That(File.ReadAllBytes(w.Path("second/selected.parquet")), Is.EqualTo(File.ReadAllBytes(w.Path("first/selected.parquet"))));
        var after = CliRunner.Run(w.Root, "cache", "stats", "--cache", w.Path("cache.duckdb"), "--json");
        AssertOk(after);
        Assert.That(after.StdOut, Does.Contain($"\"pairs\": {decoded}"));
    }
}
