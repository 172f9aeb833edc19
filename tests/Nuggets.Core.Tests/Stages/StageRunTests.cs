using Nuggets.Core.Configuration;
using Nuggets.Core.Stages;

namespace Nuggets.Core.Tests.Stages;

/// <summary>The stages on fakes: determinism, malformed generations, caching, and what each keeps.</summary>
public sealed class StageRunTests
{
    private static readonly List<StageRow> Seeds = StageRows.Of(("Name a fruit.", "Apple."), ("Add 2 and 3.", "5"), ("Say hi.", "Hi."));

    internal static (StageOutput Output, StageWork Work) Run(StageOptions options, IReadOnlyList<StageRow> rows, InMemoryStageCache cache,
        FakeGenerator? generator = null, FakeEmbedder? embedder = null)
    {
        var work = new StageWork();
        var calls = new StageCalls(cache, "model|build", generator ?? new FakeGenerator(), embedder ?? new FakeEmbedder(), work, null, CancellationToken.None);
        return (LiftStage.Create(options).Run(rows, calls, CancellationToken.None), work);
    }

    [Test]
    public void Expansion_with_the_same_seed_gives_the_same_rows_and_another_seed_other_rows()
    {
        var options = new ExpandStageOptions { Rounds = 2 };
        var a = Run(options, Seeds, new InMemoryStageCache()).Output.Rows;
        var b = Run(options, Seeds, new InMemoryStageCache()).Output.Rows;
        var c = Run(new ExpandStageOptions { Rounds = 2, Seed = 7 }, Seeds, new InMemoryStageCache()).Output.Rows;

        Assert.That(a, Has.Count.EqualTo(3 + 3 + 3), "inputs, round 1, round 2");
        Assert.That(b.Select(r => r.Example.ContentHash), Is.EqualTo(a.Select(r => r.Example.ContentHash)));
        Assert.That(c.Skip(3).Select(r => r.Example.Instruction), Is.Not.EqualTo(a.Skip(3).Select(r => r.Example.Instruction)));
        Assert.That(a.Skip(3).Select(r => (r.SourceRow, r.Stage, r.Round)),
            Is.EqualTo(new[] { (0L, "expand", 1), (1L, "expand", 1), (2L, "expand", 1), (0L, "expand", 2), (1L, "expand", 2), (2L, "expand", 2) }));
    }

    [Test]
    public void A_rerun_takes_every_generation_from_the_cache_and_new_rows_cost_only_their_own()
    {
        var cache = new InMemoryStageCache();
        var options = new ExpandStageOptions();
        var (first, work1) = Run(options, Seeds, cache);
        var generator = new FakeGenerator();
        var (again, work2) = Run(options, Seeds, cache, generator);
        var callsOnRerun = generator.Calls;
        var (more, work3) = Run(options, [.. Seeds, .. StageRows.Of(("Count to 3.", "1 2 3")).Select(r => r with { SourceRow = 3 })], cache, generator);

        Assert.That(work1.Generated, Is.EqualTo(6));
        Assert.That((work2.Generated, work2.GenerationsCached, callsOnRerun), Is.EqualTo((0L, 6L, 0)));
        Assert.That(again.Rows.Select(r => r.Example.ContentHash), Is.EqualTo(first.Rows.Select(r => r.Example.ContentHash)));
        Assert.That((work3.Generated, work3.GenerationsCached), Is.EqualTo((2L, 6L)), "one new row: its rewrite and its answer");
        Assert.That(more.Rows, Has.Count.EqualTo(8));
    }

    [Test]
    public void Malformed_generations_are_dropped_and_counted_by_reason()
    {
        var generator = new FakeGenerator();
        generator.Scripted.Add(("Name a fruit", new GeneratedText("", true)));                 // empty rewrite
        generator.Scripted.Add(("Add 2 and 3", new GeneratedText("Add 2 and 3 and", false))); // cut off
        var (output, _) = Run(new ExpandStageOptions { KeepInput = false }, Seeds, new InMemoryStageCache(), generator);

        Assert.That(output.Rows, Has.Count.EqualTo(1));
        Assert.That(output.Dropped, Is.EquivalentTo(new Dictionary<string, long> { ["rewrite: empty"] = 1, ["rewrite: cut off at maxTokens"] = 1 }));
    }

    [Test]
    public void Dedupe_removes_exact_and_planted_near_duplicates_keeping_the_first()
    {
        var rows = StageRows.Of(("Name a fruit.", "Apple."), ("Add 2 and 3.", "5"), ("Name a fruit.", "Apple."), ("Name one fruit.", "Apple!"), ("Say hi.", "Hi."));
        var embedder = new FakeEmbedder();
        embedder.Planted["fruit"] = [1, 0, 0, 0];
        embedder.Planted["Add"] = [0, 1, 0, 0];
        embedder.Planted["hi"] = [0, 0, 1, 0];
        var (output, work) = Run(new DedupeStageOptions { Threshold = 0.9 }, rows, new InMemoryStageCache(), embedder: embedder);

        Assert.That(output.Rows.Select(r => r.Example.Row), Is.EqualTo(new long[] { 0, 1, 4 }));
        Assert.That(output.Dropped, Is.EquivalentTo(new Dictionary<string, long> { ["exact duplicate"] = 1, ["near duplicate"] = 1 }));
        Assert.That(work.Embedded, Is.EqualTo(4), "exact duplicates are never embedded");
    }

    [Test]
    public void Diversity_keeps_the_fraction_and_judge_keeps_the_top_counting_unparseable_replies()
    {
        var rows = StageRows.Of(Enumerable.Range(0, 10).Select(i => ($"Task {i}", new string('x', i + 1))).ToArray());
        var (diverse, _) = Run(new DiversityStageOptions { KeepFraction = 0.3 }, rows, new InMemoryStageCache());
        Assert.That(diverse.Rows, Has.Count.EqualTo(3));
        Assert.That(diverse.Dropped["low variance"], Is.EqualTo(7));

        var judge = new FakeGenerator();
        judge.Scripted.Add(("Task 0\n", new GeneratedText("great", true)));
        judge.Scripted.Add(("Task 1\n", new GeneratedText("150", true)));
        for (var i = 2; i < 10; i++) judge.Scripted.Add(($"Task {i}\n", new GeneratedText($"{(i % 2 == 0 ? 90 : 40)} points", true)));
        var (judged, _) = Run(new JudgeStageOptions { Top = 3 }, rows, new InMemoryStageCache(), judge);

        // Judge 90 on rows 2, 4, 6, 8; the length score breaks the tie towards longer outputs: 8, 6, 4.
        Assert.That(judged.Rows.Select(r => r.Example.Row), Is.EqualTo(new long[] { 4, 6, 8 }));
        Assert.That(judged.Dropped, Is.EquivalentTo(new Dictionary<string, long>
        {
            ["unparseable: no number in the judge's reply"] = 1,
            ["unparseable: judge's score above 100"] = 1,
            ["below top"] = 5,
        }));
    }
}
