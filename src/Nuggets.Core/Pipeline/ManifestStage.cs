namespace Nuggets.Core.Pipeline;

/// <summary>One LIFT stage of a run in manifest.json: its settings, row counts, model work and artifact.</summary>
/// <param name="Index">0-based position in <c>stages</c>.</param>
/// <param name="Type">expand, dedupe, diversity or judge.</param>
/// <param name="Settings">The stage's settings as configured (defaults filled in).</param>
/// <param name="ModelSha256">SHA-256 of the model the stage ran.</param>
/// <param name="RowsIn">Rows that entered the stage.</param>
/// <param name="RowsOut">Rows it passed on.</param>
/// <param name="Dropped">Rows (or generations) dropped, by reason.</param>
/// <param name="Generated">Generation calls run through the model in this run.</param>
/// <param name="GenerationsFromCache">Generations taken from the cache.</param>
/// <param name="Embedded">Texts embedded by the model in this run.</param>
/// <param name="EmbeddingsFromCache">Embeddings taken from the cache.</param>
/// <param name="Details">Stage-specific numbers (diversity: PCA components kept and the variance they explain).</param>
/// <param name="Artifact">The Parquet file of the rows it passed on.</param>
/// <param name="Sha256">SHA-256 of that file.</param>
/// <param name="Seconds">Wall-clock time of the stage in this run.</param>
public sealed record ManifestStage(
    int Index, string Type, object Settings, string ModelSha256, long RowsIn, long RowsOut, IReadOnlyDictionary<string, long> Dropped,
    long Generated, long GenerationsFromCache, long Embedded, long EmbeddingsFromCache, IReadOnlyDictionary<string, double> Details,
    string Artifact, string Sha256, double Seconds);
