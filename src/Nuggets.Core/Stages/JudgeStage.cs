using Nuggets.Core.Configuration;

namespace Nuggets.Core.Stages;

/// <summary>
/// LIFT's quality curation: the model scores each row 0–100 with LIFT's rubric (a system turn, then the rubric, scored
/// calibration examples and the row); final = weight × judge + (1 − weight) × length score (<see cref="JudgeScoring"/>);
/// the best <c>top</c> are kept. A reply without a usable score is dropped and counted, never scored 0.
/// </summary>
internal sealed class JudgeStage(JudgeStageOptions options) : LiftStage
{
    public override bool Generates => true;

    public override StageOutput Run(IReadOnlyList<StageRow> rows, StageCalls calls, CancellationToken cancellation)
    {
        var output = new StageOutput();
        var template = options.Prompt ?? LiftPrompts.Judge;
        var system = options.SystemPrompt ?? LiftPrompts.JudgeSystem;
        var replies = calls.Generate(rows.Select(r => Request(options, PromptTemplate.Fill(template, r.Example),
            StageCalls.DeriveSeed(options.Seed, "judge", r.Example.ContentHash),
            string.IsNullOrWhiteSpace(system) ? null : PromptTemplate.Fill(system, r.Example))).ToArray());
        var lengths = JudgeScoring.LengthScores(rows.Select(r => JudgeScoring.Length(r.Example)).ToArray());

        var scored = new List<(int Index, double Final)>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (replies[i].Failure is { } failure)
            {
                output.Drop($"judge: {failure}");
                continue;
            }
            var answer = JudgeScoring.Parse(replies[i].Text);
            if (answer.Score is not { } score)
            {
                output.Drop($"unparseable: {answer.Problem}");
                continue;
            }
            scored.Add((i, JudgeScoring.Final(score, lengths[i], options.JudgeWeight)));
        }
        var kept = scored.OrderByDescending(s => s.Final).ThenBy(s => s.Index).Take(options.Top).Select(s => s.Index).Order().ToArray();
        output.Rows.AddRange(kept.Select(i => rows[i]));
        for (var i = kept.Length; i < scored.Count; i++) output.Drop("below top");
        return output;
    }
}
