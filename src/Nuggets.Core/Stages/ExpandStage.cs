using Nuggets.Core.Configuration;
using Nuggets.Core.Data;

namespace Nuggets.Core.Stages;

/// <summary>
/// LIFT's expansion: each row's task is rewritten into a harder, more specific one (call 1), which is then sent to the
/// model as it is to be answered (call 2). A rewrite with an input part (a line <c>Input:</c>) is split back into the
/// instruction and input columns (<see cref="TaskText"/>). Round r rewrites the rows made in round r − 1. Malformed
/// generations are dropped and counted.
/// </summary>
internal sealed class ExpandStage(ExpandStageOptions options) : LiftStage
{
    public override bool Generates => true;

    public override StageOutput Run(IReadOnlyList<StageRow> rows, StageCalls calls, CancellationToken cancellation)
    {
        var output = new StageOutput();
        if (options.KeepInput) output.Rows.AddRange(rows);
        var rewriteTemplate = options.RewritePrompt ?? LiftPrompts.Rewrite(options.Variant);
        var answerTemplate = options.AnswerPrompt ?? LiftPrompts.Answer;
        IReadOnlyList<StageRow> seeds = rows;
        for (var round = 1; round <= options.Rounds && seeds.Count > 0; round++)
        {
            var tag = round.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var rewrites = calls.Generate(seeds.Select(s => Request(options, PromptTemplate.Fill(rewriteTemplate, s.Example),
                StageCalls.DeriveSeed(options.Seed, "rewrite", tag, s.Example.ContentHash))).ToArray());

            var rewritten = new List<(StageRow Seed, Example Task)>();
            for (var i = 0; i < seeds.Count; i++)
            {
                var seedTask = TaskText.Join(seeds[i].Example.Instruction, seeds[i].Example.Input);
                if (GenerationCheck.Problem(rewrites[i], options.KeepTruncated, seedTask) is { } problem)
                {
                    output.Drop($"rewrite: {problem}");
                    continue;
                }
                var (instruction, input) = TaskText.Split(GenerationCheck.Clean(rewrites[i].Text));
                rewritten.Add((seeds[i], new Example(0, instruction, input, "")));
            }

            var answers = calls.Generate(rewritten.Select(r => Request(options, PromptTemplate.Fill(answerTemplate, r.Task),
                StageCalls.DeriveSeed(options.Seed, "answer", tag, r.Seed.Example.ContentHash))).ToArray());
            var made = new List<StageRow>();
            for (var i = 0; i < rewritten.Count; i++)
            {
                if (GenerationCheck.Problem(answers[i], options.KeepTruncated) is { } problem)
                {
                    output.Drop($"answer: {problem}");
                    continue;
                }
                var (seed, task) = rewritten[i];
                made.Add(new StageRow(new Example(0, task.Instruction, task.Input, GenerationCheck.Clean(answers[i].Text)), seed.SourceRow, "expand", round));
            }
            output.Rows.AddRange(made);
            seeds = made;
        }
        return output;
    }
}
