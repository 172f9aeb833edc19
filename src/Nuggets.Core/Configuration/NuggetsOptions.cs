using Nuggets.Core.Scoring;
using Nuggets.Core.Data;

namespace Nuggets.Core.Configuration;

/// <summary>
/// Everything a run needs, as read from <c>nuggets.config.json</c>, then <c>NUGGETS__…</c> environment variables,
/// then command-line options. Property names are the JSON keys (camelCase); <see cref="ConfigLoader"/> rejects
/// any key that is not a property here, so this class is the single list of settings.
/// </summary>
public sealed class NuggetsOptions
{
    /// <summary>Where the examples come from.</summary>
    public DatasetOptions Dataset { get; set; } = new();
    /// <summary>The scoring model.</summary>
    public ModelOptions Model { get; set; } = new();
    /// <summary>How examples become token sequences.</summary>
    public ScoringOptions Scoring { get; set; } = new();
    /// <summary>How the anchor set is built.</summary>
    public AnchorOptions Anchors { get; set; } = new();
    /// <summary>Which examples are kept.</summary>
    public SelectionOptions Selection { get; set; } = new();
    /// <summary>The score cache.</summary>
    public CacheOptions Cache { get; set; } = new();
    /// <summary>Where the selection goes.</summary>
    public OutputOptions Output { get; set; } = new();
    /// <summary>Which part of the candidates this process scores.</summary>
    public ShardOptions Shard { get; set; } = new();
    /// <summary>
    /// Stages run in order on the rows before scoring: LIFT's expand, diversity and judge, and dedupe (this project's
    /// addition, not a LIFT step); empty = none.
    /// </summary>
    public List<StageOptions> Stages { get; set; } = [];
}

/// <summary><c>dataset</c>: files (globs allowed) read in order as one table, and the column mapping.</summary>
public sealed class DatasetOptions
{
    /// <summary>Dataset files or globs, relative to the config file.</summary>
    public List<string> Paths { get; set; } = [];
    /// <summary>Shorthand for a single file; added before <see cref="Paths"/>.</summary>
    public string? Path { get; set; }
    /// <summary><c>auto</c> (by extension), <c>parquet</c>, <c>jsonl</c>, <c>json</c>, <c>csv</c>.</summary>
    public DatasetFormat Format { get; set; } = DatasetFormat.Auto;
    /// <summary>Which columns hold the example.</summary>
    public ColumnOptions Columns { get; set; } = new();
    /// <summary>
    /// Use only the first this many rows (in file order); unset = all. Bounds the model work, memory and outputs of an
    /// unattended run on unknown data; the files are still checked, hashed and counted whole (README.md, "Configuration").
    /// </summary>
    public long? MaxRows { get; set; }
}

/// <summary><c>dataset.columns</c>: Alpaca names by default; set <see cref="Messages"/> for chat rows.</summary>
public sealed class ColumnOptions
{
    /// <summary>Instruction column.</summary>
    public string Instruction { get; set; } = "instruction";
    /// <summary>Input (context) column; may be empty per row.</summary>
    public string Input { get; set; } = "input";
    /// <summary>Output (response) column.</summary>
    public string Output { get; set; } = "output";
    /// <summary>A list&lt;struct&lt;role, content&gt;&gt; column; when set, rows are chat-shaped.</summary>
    public string? Messages { get; set; }
}

/// <summary><c>model</c>: the GGUF file and how llama.cpp runs it.</summary>
public sealed class ModelOptions
{
    /// <summary>GGUF model file, relative to the config file.</summary>
    public string? Path { get; set; }
    /// <summary>Layers to offload to a GPU; -1 = all when a GPU is found, 0 = CPU only.</summary>
    public int GpuLayers { get; set; } = -1;
    /// <summary>
    /// CPU threads: <c>auto</c> (physical cores allowed by affinity and the cgroup quota, less those other work keeps
    /// busy; see <see cref="Cpu.ThreadPolicy"/>) or a fixed number. Never changes a score, only the speed.
    /// </summary>
    public ThreadCount Threads { get; set; } = ThreadCount.Auto;
    /// <summary>Context size in tokens; 0 = sized from the longest candidate + anchor (capped by the model's).</summary>
    public int ContextLength { get; set; }
    /// <summary>
    /// Most tokens per llama_decode call (n_batch) of the LIFT stages' text generation. Scoring always decodes in its
    /// fixed layout (docs/exactness.md), so this setting never changes a score.
    /// </summary>
    public int BatchSize { get; set; } = 512;
    /// <summary>
    /// ggml CPU variant: <c>auto</c> (the best for this CPU) or a name such as <c>haswell</c>. Variants round
    /// differently and the variant is part of the cache key; pin one every machine can run to share one cache.
    /// </summary>
    public string CpuVariant { get; set; } = "auto";
}

/// <summary><c>scoring</c>: the score definition's knobs (docs/scoring.md).</summary>
public sealed class ScoringOptions
{
    /// <summary><c>alpaca</c> (the reference format), or for chat rows <c>model</c> (the model's own chat template) or a llama.cpp template name.</summary>
    public string Template { get; set; } = "alpaca";
    /// <summary><c>reference</c>: zero-shot anchors without BOS (the paper's code); <c>symmetric</c>: BOS before them too.</summary>
    public BosPolicy BosPolicy { get; set; } = BosPolicy.Reference;
    /// <summary>Clip each anchor (prompt + response) to this many tokens; unset = no clip. 200 reproduces the reference.</summary>
    public int? AnchorMaxTokens { get; set; }
    /// <summary>Skip (and record) candidates longer than this many tokens; unset = limited only by the context.</summary>
    public int? MaxExampleTokens { get; set; }
}

/// <summary>
/// <c>anchors</c>: the fixed tasks every candidate is measured on. The defaults are the Nuggets paper's best published
/// setting, 100 k-means anchors (docs/scoring.md, "Anchors"), pinned in a lock file so that they stay put while the data grows.
/// </summary>
public sealed class AnchorOptions
{
    /// <summary><c>kmeans</c> (the paper's best), <c>random</c> or <c>file</c>.</summary>
    public AnchorMethod Method { get; set; } = AnchorMethod.KMeans;
    /// <summary>Anchors to pick (random: N rows; kmeans: K clusters).</summary>
    public int Count { get; set; } = 100;
    /// <summary>Seed of the random pick and of k-means++.</summary>
    public int Seed { get; set; } = 42;
    /// <summary>Anchor dataset file (method <c>file</c>), same columns as the dataset.</summary>
    public string? Path { get; set; }
    /// <summary>Leave examples that are anchors out of the candidates (by content hash).</summary>
    public bool ExcludeFromCandidates { get; set; } = true;
    /// <summary>
    /// Which rows anchors are picked from when LIFT stages run: <c>dataset</c> (the original rows, as in the paper) or
    /// <c>stages</c> (the last stage's output, generated rows included). Without stages both are the dataset.
    /// </summary>
    public AnchorSource From { get; set; } = AnchorSource.Dataset;
    /// <summary>
    /// k-means clusters every row when the dataset has at most this many (Alpaca's 52,002 included); above it, a seeded
    /// sample of this many rows. Memory is this × the embedding width × 4 bytes.
    /// </summary>
    public int KmeansSample { get; set; } = 65536;
    /// <summary>k-means++ restarts; the clustering with the lowest inertia wins (scikit-learn's classic n_init = 10).</summary>
    public int KmeansRestarts { get; set; } = 10;
    /// <summary>L2-normalise the embeddings before clustering (cosine geometry); off = the mean hidden states as they are.</summary>
    public bool Normalize { get; set; }
    /// <summary>
    /// Pin picked anchors (random, kmeans) in <see cref="LockFile"/> and reuse them while they are valid, so that a grown
    /// dataset rescores only its new rows. Off = pick again on every run.
    /// </summary>
    public bool Pin { get; set; } = true;
    /// <summary>
    /// The anchor lock file, relative to the config file; unset = beside it, named after it
    /// (<c>nuggets.config.json</c> → <c>nuggets.anchors.lock.json</c>).
    /// </summary>
    public string? LockFile { get; set; }
}

/// <summary><c>selection</c>: which examples are kept.</summary>
public sealed class SelectionOptions
{
    /// <summary><c>threshold</c> (golden score &gt; threshold), <c>top</c> (best N) or <c>topPercent</c>.</summary>
    public SelectionMode Mode { get; set; } = SelectionMode.Threshold;
    /// <summary>Threshold t in [0, 1): keep GS &gt; t. 0.85 is the paper's headline subset (about 1% of Alpaca); it also reports 0.5 and 0.8.</summary>
    public double Threshold { get; set; } = 0.85;
    /// <summary>N for mode <c>top</c>.</summary>
    public int Top { get; set; } = 1000;
    /// <summary>Percent (0, 100] for mode <c>topPercent</c>.</summary>
    public double TopPercent { get; set; } = 10;
    /// <summary>
    /// Stop scoring a candidate once it is certain not to be selected (the same selection, byte for byte, from fewer
    /// pairs): in threshold mode always, in top and topPercent mode for an unsharded <c>run</c> or <c>select</c>. The
    /// CLI's <c>run</c> and <c>select</c> follow it; <c>score</c> sets it from its <c>--prune</c> flag (off by default,
    /// threshold mode only).
    /// </summary>
    public bool Prune { get; set; } = true;
    /// <summary>
    /// The order pruning visits the anchors in: <c>pilot</c> (losing-first, from how often the anchors, each used as a
    /// one-shot demonstration, win on one another; recorded in the manifest), <c>file</c>, or <c>auto</c> (pilot from
    /// 100 dataset rows per pilot demonstration, file below). Changes which pairs are decoded, never the selection.
    /// </summary>
    public AnchorOrderMethod AnchorOrder { get; set; } = AnchorOrderMethod.Auto;
    /// <summary>Anchors (the first ones) the anchor-order pilot scores as demonstrations on every anchor.</summary>
    public int PilotAnchors { get; set; } = 8;
}

/// <summary><c>cache</c>: the DuckDB score cache.</summary>
public sealed class CacheOptions
{
    /// <summary>Cache file, relative to the config file.</summary>
    public string Path { get; set; } = ".nuggets/cache.duckdb";
    /// <summary>Wait for another process holding the cache instead of failing.</summary>
    public bool Wait { get; set; }
    /// <summary>Most pairs scored per cache commit: the most a killed run can lose (smaller = safer, slightly slower).</summary>
    public int CommitPairs { get; set; } = 2048;
}

/// <summary><c>output</c>: where the selection and its manifest are written.</summary>
public sealed class OutputOptions
{
    /// <summary>Output folder, relative to the config file.</summary>
    public string Directory { get; set; } = "out";
    /// <summary><c>parquet</c> or <c>jsonl</c>.</summary>
    public OutputFormat Format { get; set; } = OutputFormat.Parquet;
}

/// <summary><c>shard</c>: score only the candidates whose content hash falls in shard <c>index</c> of <c>count</c>.</summary>
public sealed class ShardOptions
{
    /// <summary>0-based shard index.</summary>
    public int Index { get; set; }
    /// <summary>Number of shards; 1 = everything.</summary>
    public int Count { get; set; } = 1;
}
