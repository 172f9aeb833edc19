using Nuggets.Core.Configuration;
using Nuggets.Core.Prompting;

namespace Nuggets.Core.Stages;

/// <summary>What a stage made of its input: the rows it passes on, and how many it dropped for which reason.</summary>
internal sealed class StageOutput
{
    public List<StageRow> Rows { get; } = [];
    public SortedDictionary<string, long> Dropped { get; } = new(StringComparer.Ordinal);

    /// <summary>Numbers worth recording beside the counts (e.g. PCA components kept).</summary>
    public SortedDictionary<string, double> Details { get; } = new(StringComparer.Ordinal);

    public void Drop(string reason) => Dropped[reason] = Dropped.GetValueOrDefault(reason) + 1;
}

/// <summary>One stage (a LIFT step, or dedupe, this project's addition): rows in, rows out, model calls through <see cref="StageCalls"/>.</summary>
internal abstract class LiftStage
{
    public abstract StageOutput Run(IReadOnlyList<StageRow> rows, StageCalls calls, CancellationToken cancellation);

    /// <summary>Whether the stage needs a text generator (otherwise embeddings at most).</summary>
    public virtual bool Generates => false;

    public static LiftStage Create(StageOptions options) => options switch
    {
        ExpandStageOptions e => new ExpandStage(e),
        DedupeStageOptions d => new DedupeStage(d),
        DiversityStageOptions v => new DiversityStage(v),
        JudgeStageOptions j => new JudgeStage(j),
        _ => throw new ArgumentException($"No stage for {options.GetType().Name}.", nameof(options)),
    };

    /// <summary>The text a row is embedded as: its formatted Alpaca example, like the scorer sees it.</summary>
    protected static string EmbeddingText(StageRow row) => AlpacaTemplate.Format(row.Example).FullText;

    protected static GenerationRequest Request(GenerationStageOptions o, string prompt, uint seed, string? system = null) =>
        new(prompt, o.ChatTemplate, o.MaxTokens, o.Temperature, o.TopK, o.TopP, seed, system);
}
