namespace Nuggets.Core.Configuration;

/// <summary>
/// One entry of <c>stages</c>: a step that transforms the candidate rows before Nuggets scoring, one of LIFT's
/// (arXiv 2312.11508: expand, diversity, judge) or <c>dedupe</c>, which is this project's addition and not a LIFT step.
/// The JSON key <c>type</c> picks the subclass (<see cref="StageTypes"/>); its other keys are the subclass's properties.
/// </summary>
public abstract class StageOptions
{
    /// <summary>The stage kind: <c>expand</c>, <c>dedupe</c> (not a LIFT step), <c>diversity</c> or <c>judge</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>Resolves relative paths against the config file's folder.</summary>
    internal virtual void ResolvePaths(Func<string, string> resolve) { }
}

/// <summary>Settings shared by the stages that run a model (generation or embeddings).</summary>
public abstract class ModelStageOptions : StageOptions
{
    /// <summary>A GGUF model for this stage only, relative to the config file; unset = the scoring model (<c>model.path</c>).</summary>
    public string? Model { get; set; }

    internal override void ResolvePaths(Func<string, string> resolve)
    {
        if (!string.IsNullOrWhiteSpace(Model)) Model = resolve(Model);
    }
}

/// <summary>
/// Settings shared by the stages that generate text. The sampling defaults are the LIFT authors': they call their models
/// with temperature 0.5 and otherwise the API's defaults (no top-k, top-p 1), for rewrites, answers and judging alike.
/// </summary>
public abstract class GenerationStageOptions : ModelStageOptions
{
    /// <summary><c>model</c>: the model's own chat template (the prompt as is when it has none); <c>none</c>: the prompt as is; otherwise a llama.cpp template name.</summary>
    public string ChatTemplate { get; set; } = "model";

    /// <summary>Most tokens generated per call.</summary>
    public int MaxTokens { get; set; } = 512;

    /// <summary>Sampling temperature; 0 = greedy.</summary>
    public double Temperature { get; set; } = 0.5;

    /// <summary>Keep the k most likely tokens (0 = all).</summary>
    public int TopK { get; set; }

    /// <summary>Nucleus sampling mass (1 = off).</summary>
    public double TopP { get; set; } = 1;

    /// <summary>Seed of the sampling; each call's seed is derived from it and the row, so the same seed gives the same rows.</summary>
    public int Seed { get; set; } = 42;
}

/// <summary><c>expand</c>: LIFT's expansion: the LLM rewrites each task into a harder one and answers the rewrite as it is (LIFT's two calls).</summary>
public sealed class ExpandStageOptions : GenerationStageOptions
{
    /// <summary>Rounds: round r rewrites the rows generated in round r−1 (round 1: the input rows).</summary>
    public int Rounds { get; set; } = 1;

    /// <summary><c>general</c> (depth and breadth, specific concepts, multi-step reasoning) or <c>code</c> (the LIFT authors' five ways for programming tasks).</summary>
    public ExpandVariant Variant { get; set; } = ExpandVariant.General;

    /// <summary>
    /// Prompt of the rewrite call; placeholders <c>{instruction}</c>, <c>{input}</c>, <c>{output}</c>, <c>{prompt}</c>,
    /// <c>{task}</c>. Unset = the variant's. A reply with a line <c>Input:</c> is split there into instruction and input.
    /// </summary>
    public string? RewritePrompt { get; set; }

    /// <summary>
    /// Prompt of the answer call; placeholders <c>{instruction}</c>, <c>{input}</c>, <c>{prompt}</c> and <c>{task}</c> are
    /// the rewritten task's. Unset = <c>{task}</c>: the rewritten task as it is.
    /// </summary>
    public string? AnswerPrompt { get; set; }

    /// <summary>Keep generations cut off at <see cref="GenerationStageOptions.MaxTokens"/> (by default they are dropped as malformed).</summary>
    public bool KeepTruncated { get; set; }

    /// <summary>Keep the input rows in the output beside the generated ones.</summary>
    public bool KeepInput { get; set; } = true;
}

/// <summary>
/// <c>dedupe</c>: drops exact duplicates (content hash) and near-duplicates (embedding cosine similarity), keeping the
/// first. This project's addition, not a LIFT step: the LIFT authors' pipeline removes no duplicates.
/// </summary>
public sealed class DedupeStageOptions : ModelStageOptions
{
    /// <summary>Cosine similarity at or above which a row is a near-duplicate of an earlier kept row; 1 = exact duplicates only.</summary>
    public double Threshold { get; set; } = 0.95;

    /// <summary>Rows per block of the neighbour search: memory is block × block similarities, never all pairs.</summary>
    public int BlockRows { get; set; } = 1024;
}

/// <summary><c>diversity</c>: LIFT's variety curation: embeddings → standardise → PCA → per-row variance of the reduced vector → keep the top fraction.</summary>
public sealed class DiversityStageOptions : ModelStageOptions
{
    /// <summary>Share of the variance the kept principal components explain, in (0, 1].</summary>
    public double ExplainedVariance { get; set; } = 0.95;

    /// <summary>Fraction of rows kept, in (0, 1]: round(fraction × rows), at least 1.</summary>
    public double KeepFraction { get; set; } = 0.2;
}

/// <summary><c>judge</c>: LIFT's quality curation: the LLM scores each row 0–100 with LIFT's rubric, blended with a length score; the best are kept.</summary>
public sealed class JudgeStageOptions : GenerationStageOptions
{
    /// <summary>
    /// Creates the options with judging defaults: short replies, since the score comes first and only the explanation
    /// after it is cut off. Sampling stays the authors' (temperature 0.5), seeded per row, so reruns give the same scores.
    /// </summary>
    public JudgeStageOptions()
    {
        MaxTokens = 16;
    }

    /// <summary>Rows kept: the best <c>top</c> by final score (ties by row order).</summary>
    public int Top { get; set; } = 1000;

    /// <summary>Weight of the judge's score in the final score; the length score gets 1 − this.</summary>
    public double JudgeWeight { get; set; } = 0.9;

    /// <summary>
    /// Prompt of the judge (the user turn); placeholders <c>{instruction}</c>, <c>{input}</c>, <c>{output}</c>, <c>{prompt}</c>,
    /// <c>{task}</c>. Unset = LIFT's rubric with scored calibration examples.
    /// </summary>
    public string? Prompt { get; set; }

    /// <summary>
    /// System turn of the judge, with the same placeholders as <see cref="Prompt"/>; empty = none. Unset = built in. Where
    /// the chat template has no system role (or there is no template) it opens the user turn instead.
    /// </summary>
    public string? SystemPrompt { get; set; }
}

/// <summary>The stage kinds by their <c>type</c> value.</summary>
public static class StageTypes
{
    /// <summary>Every <c>type</c> and the options class it binds to, in pipeline order.</summary>
    public static IReadOnlyList<(string Name, Type Options)> All { get; } =
    [
        ("expand", typeof(ExpandStageOptions)),
        ("dedupe", typeof(DedupeStageOptions)),
        ("diversity", typeof(DiversityStageOptions)),
        ("judge", typeof(JudgeStageOptions)),
    ];

    /// <summary>A new options object for <paramref name="type"/>, or null when it is not a stage kind.</summary>
    public static StageOptions? Create(string type) =>
        All.FirstOrDefault(t => t.Name == type).Options is { } options ? (StageOptions)Activator.CreateInstance(options)! : null;
}
