using Nuggets.DuckDb.Sql;

namespace Nuggets.Report.Tests;

/// <summary>scores.parquet of the small run (`run`, threshold mode, pruning on by default), read with plain SQL.</summary>
public sealed class ScoreTableTests
{
    [Test]
    public void Scores_parquet_says_which_golden_scores_are_exact()
    {
        using (var session = DuckDbSession.Open(null))
        {
            Assert.That(session.ScalarInt64(
                $"SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet({SqlText.Literal(SmallRun.OutFile("scores.parquet"))})) " +
                "WHERE column_name = 'score_exact' AND column_type = 'BOOLEAN'"), Is.EqualTo(1));
        }
        var scores = SmallRun.Scores();
        Assert.That(scores.Select(s => s.ScoreExact), Is.EqualTo(scores.Select(s => s.AnchorsScored == SmallRun.Anchors)),
            "score_exact is true exactly when every anchor was scored");
        Assert.That(scores.Count(s => !s.ScoreExact), Is.EqualTo(SmallRun.Manifest().GetProperty("counts").GetProperty("pruned").GetInt64()));
        Assert.That(SmallRun.Manifest().GetProperty("settings").GetProperty("prune").GetBoolean(), Is.True, "run prunes by default");
    }
}
