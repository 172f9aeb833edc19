using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Tests;

/// <summary>Values reach DuckDB as bound parameters, never as SQL text.</summary>
public sealed class BoundParameterTests
{
    [Test]
    public void Text_that_would_break_a_pasted_literal_is_stored_and_found_as_it_is()
    {
        using var session = DuckDbSession.Open(null);
        session.Execute("CREATE TABLE t (name VARCHAR, n BIGINT)");
        const string Hostile = "it's'); DROP TABLE t; --";

        Assert.That(session.Execute("INSERT INTO t VALUES (?, ?)", Hostile, 42L), Is.EqualTo(1));

        Assert.That(session.ScalarInt64("SELECT n FROM t WHERE name = ?", Hostile), Is.EqualTo(42));
        Assert.That(session.ScalarInt64("SELECT count(*) FROM t WHERE name = $1 OR name = $1 || 'x'", Hostile), Is.EqualTo(1), "a numbered parameter used twice is bound once");
    }

    [Test]
    public void A_parameter_count_that_does_not_match_the_statement_is_refused()
    {
        using var session = DuckDbSession.Open(null);
        Assert.Throws<ArgumentException>(() => session.Execute("SELECT ? + ?", 1L));
        Assert.Throws<ArgumentException>(() => session.Execute("SELECT ?", 1.5));
    }

    [Test]
    public void A_cache_fingerprint_with_quotes_round_trips()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory("bound"), "cache.duckdb");
        using var cache = Cache.ScoreCache.Open(path, new Cache.ScoreCacheOptions());
        const string Fingerprint = "model 'quoted'; --";
        var anchor = TestKeys.Anchor(1);
        cache.PutZeroShot(Fingerprint, [new(anchor, new Nuggets.Core.Scoring.LogProbSum(-1.5, 3))]);

        Assert.That(cache.GetZeroShot(Fingerprint, [anchor])[anchor].Sum, Is.EqualTo(-1.5));
        Assert.That(cache.Stats().Single().Fingerprint, Is.EqualTo(Fingerprint));
        Assert.That(cache.Prune(Fingerprint).ZeroShotRemoved, Is.Zero);
    }
}
