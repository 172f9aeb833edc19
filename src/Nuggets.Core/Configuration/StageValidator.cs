using System.Globalization;
using Nuggets.Core.Stages;

namespace Nuggets.Core.Configuration;

/// <summary>Checks the <c>stages</c> list, naming each problem's key as <c>stages[i].key</c>.</summary>
internal static class StageValidator
{
    public static IEnumerable<string> Problems(NuggetsOptions o)
    {
        if (o.Stages.Count > 0 && o.Dataset.Columns.Messages is not null)
            yield return "'stages' need Alpaca-shaped rows (instruction, input, output), but 'dataset.columns.messages' is set";
        for (var i = 0; i < o.Stages.Count; i++)
        {
            foreach (var problem in Problems(o.Stages[i], $"stages[{i}]")) yield return problem;
        }
    }

    private static IEnumerable<string> Problems(StageOptions stage, string at)
    {
        string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
        if (stage is ModelStageOptions { Model: { } model } && string.IsNullOrWhiteSpace(model))
            yield return $"'{at}.model' is empty: name a GGUF file or leave it out to use 'model.path'";
        if (stage is GenerationStageOptions g)
        {
            if (string.IsNullOrWhiteSpace(g.ChatTemplate)) yield return $"'{at}.chatTemplate' is empty: use 'model', 'none' or a llama.cpp template name";
            if (g.MaxTokens < 1) yield return $"'{at}.maxTokens' is {g.MaxTokens}, but must be at least 1";
            if (g.Temperature is < 0 or > 10) yield return $"'{at}.temperature' is {Show(g.Temperature)}, but must be in [0, 10] (0 = greedy)";
            if (g.TopK < 0) yield return $"'{at}.topK' is {g.TopK}, but must be 0 (all) or more";
            if (g.TopP is <= 0 or > 1) yield return $"'{at}.topP' is {Show(g.TopP)}, but must be in (0, 1]";
            if (g.Seed < 0) yield return $"'{at}.seed' is {g.Seed}, but must be 0 or more";
        }
        switch (stage)
        {
            case ExpandStageOptions e:
                if (e.Rounds is < 1 or > 10) yield return $"'{at}.rounds' is {e.Rounds}, but must be in [1, 10]";
                foreach (var p in TemplateProblems(e.RewritePrompt, $"{at}.rewritePrompt", PromptTemplate.RowPlaceholders)) yield return p;
                foreach (var p in TemplateProblems(e.AnswerPrompt, $"{at}.answerPrompt", PromptTemplate.RowPlaceholders)) yield return p;
                break;
            case DedupeStageOptions d:
                if (d.Threshold is <= 0 or > 1) yield return $"'{at}.threshold' is {Show(d.Threshold)}, but must be in (0, 1] (cosine similarity; 1 = exact duplicates only)";
                if (d.BlockRows < 1) yield return $"'{at}.blockRows' is {d.BlockRows}, but must be at least 1";
                break;
            case DiversityStageOptions v:
                if (v.ExplainedVariance is <= 0 or > 1) yield return $"'{at}.explainedVariance' is {Show(v.ExplainedVariance)}, but must be in (0, 1]";
                if (v.KeepFraction is <= 0 or > 1) yield return $"'{at}.keepFraction' is {Show(v.KeepFraction)}, but must be in (0, 1]";
                break;
            case JudgeStageOptions j:
                if (j.Top < 1) yield return $"'{at}.top' is {j.Top}, but must be at least 1";
                if (j.JudgeWeight is < 0 or > 1) yield return $"'{at}.judgeWeight' is {Show(j.JudgeWeight)}, but must be in [0, 1]";
                foreach (var p in TemplateProblems(j.Prompt, $"{at}.prompt", PromptTemplate.RowPlaceholders)) yield return p;
                // An empty system prompt is allowed: it asks for no system turn.
                if (!string.IsNullOrWhiteSpace(j.SystemPrompt))
                    foreach (var p in TemplateProblems(j.SystemPrompt, $"{at}.systemPrompt", PromptTemplate.RowPlaceholders)) yield return p;
                break;
        }
    }

    private static IEnumerable<string> TemplateProblems(string? template, string key, IReadOnlyCollection<string> allowed)
    {
        if (template is null) yield break;
        if (string.IsNullOrWhiteSpace(template)) yield return $"'{key}' is empty";
        else if (PromptTemplate.UnknownPlaceholder(template, allowed) is { } unknown)
            yield return $"'{key}' has the placeholder '{{{unknown}}}', but only {string.Join(", ", allowed.Select(a => $"{{{a}}}"))} are filled in";
    }
}
