using System.Text.Json;

namespace Nuggets.Bench;

/// <summary>
/// What one child process measures, written as JSON by the parent. The Parquet files hold Alpaca rows; every row
/// takes prefixes of them, so all rows of one model see the same anchors and candidates.
/// </summary>
internal sealed record ChildSpec
{
    public required string Row { get; init; }
    public string Model { get; init; } = "";
    public int Batch { get; init; }
    public int Threads { get; init; }
    /// <summary>Anchor rows (the first <see cref="Anchors"/> are used).</summary>
    public string AnchorsFile { get; init; } = "";
    /// <summary>Candidate rows (the first <see cref="Candidates"/> are used), or the dataset of a pipeline row.</summary>
    public string CandidatesFile { get; init; } = "";
    public int Anchors { get; init; }
    public int Candidates { get; init; }
    /// <summary>Pipeline rows: score cache and output folder.</summary>
    public string Cache { get; init; } = "";
    public string Output { get; init; } = "";
    public bool Prune { get; init; }
    public double Threshold { get; init; } = 0.85;
    /// <summary>Pipeline rows: <c>selection.mode</c> (threshold, top, topPercent) and its percent.</summary>
    public string Mode { get; init; } = "threshold";
    public double TopPercent { get; init; } = 10;
    /// <summary>Pipeline rows: <c>selection.anchorOrder</c> (file, pilot).</summary>
    public string AnchorOrder { get; init; } = "file";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static ChildSpec Read(string path) => JsonSerializer.Deserialize<ChildSpec>(File.ReadAllText(path))!;
}

/// <summary>What a child measured. Times in seconds; tokens are those submitted to <c>llama_decode</c>.</summary>
internal sealed record RowResult
{
    public required string Row { get; init; }
    /// <summary>Time the row's work took, measured inside the child (baseline rows: the scoring loop only).</summary>
    public double Seconds { get; init; }
    /// <summary>The child process from start to exit, measured by the parent.</summary>
    public double ProcessSeconds { get; set; }
    public long Pairs { get; init; }
    /// <summary>Tokens that carry text (padding excluded).</summary>
    public long UsefulTokens { get; init; }
    /// <summary>Tokens decoded, padding included.</summary>
    public long DecodedTokens { get; init; }
    public long DecodeCalls { get; init; }
    public double DecodeSeconds { get; init; }
    public double LogSoftmaxSeconds { get; init; }
    public long PeakRssKb { get; init; }
    /// <summary>Reader row: rows read.</summary>
    public long Rows { get; init; }
    /// <summary>Pipeline rows: the selection file, to compare full and pruned runs.</summary>
    public string? Selected { get; init; }
    /// <summary>Pipeline rows: candidates scored and selected.</summary>
    public long Selections { get; init; }
    /// <summary>Pipeline rows: candidates whose scoring stopped before the last anchor.</summary>
    public long Pruned { get; init; }
    /// <summary>Full pipeline row: scored rows one win either side of the threshold.</summary>
    public long NearThreshold { get; init; }
    public double MeanCandidateTokens { get; init; }
    public double MeanAnchorTokens { get; init; }
    /// <summary>Scoring baselines: every sum they computed, to check against the product's.</summary>
    public Rows.PairSums? Sums { get; init; }
    /// <summary>Bound row: the scoring loop in each layout (<see cref="Seconds"/> is the faster).</summary>
    public double PerAnchorSeconds { get; init; }
    /// <summary>Bound row: one anchor per call with the model's n_batch (0 when that is the product's 512).</summary>
    public double PerAnchorBatchSeconds { get; init; }
    public double PackedSeconds { get; init; }
    public long PackedCalls { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);

    public static RowResult FromJson(string json) => JsonSerializer.Deserialize<RowResult>(json)!;
}
