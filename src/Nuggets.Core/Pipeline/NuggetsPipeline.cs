using Nuggets.Core.Anchors;
using Nuggets.Core.Configuration;
using Nuggets.Core.Data;
using Nuggets.Core.Output;
using Nuggets.Core.Prompting;
using Nuggets.Core.Scoring;
using Nuggets.Core.Selection;
using Nuggets.Core.Stages;

namespace Nuggets.Core.Pipeline;

/// <summary>
/// The one entry point of the Nuggets pipeline, shared by the CLI and (through the CLI) the MSBuild task:
/// dataset → anchors → zero-shot sums → one-shot sums (cached, pruned when exact) → golden scores → selection,
/// output and manifest.
/// </summary>
public sealed class NuggetsPipeline(PipelineServices services)
{
    /// <summary>Distinct candidates handled per chunk (bounds memory of in-flight work).</summary>
    public int CandidatesPerChunk { get; init; } = 256;

    /// <summary>Runs the pipeline.</summary>
    /// <exception cref="NuggetsException">Bad input, missing cache entries (select), output failures.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; every committed batch is in the cache.</exception>
    public PipelineResult Run(LoadedConfig config, PipelineMode mode, IProgress<PipelineProgress>? progress = null, CancellationToken cancellation = default)
    {
        var options = config.Options;
        var counters = new RunCounters(progress);
        var columns = new ColumnMapping(options.Dataset.Columns.Instruction, options.Dataset.Columns.Input, options.Dataset.Columns.Output, options.Dataset.Columns.Messages);
        var dataset = new DatasetSource(options.Dataset.Paths, columns, ParseFormat(options.Dataset.Format));
        var reader = options.Dataset.MaxRows is { } maxRows ? new RowLimitedReader(services.Reader, dataset, maxRows) : services.Reader;
        var description = reader.Describe(dataset);
        counters.RowsTotal = description.Rows;

        using var session = services.OpenSession(options.Model, options.Scoring);
        // LIFT stages run first (they need the cache); the rows they leave become the dataset for anchors and scoring.
        using var stageCache = options.Stages.Count > 0 ? OpenCache(options) : null;
        using var stages = stageCache is null ? null
            : new StageRunner(services).Run(options, reader, dataset, session, stageCache, counters, mode == PipelineMode.Select, cancellation);
        if (stages is not null)
        {
            dataset = stages.Dataset;
            (counters.RowsDone, counters.RowsTotal) = (0, stages.Rows);
        }
        var formatter = new ExampleFormatter(session.ChatTemplate);
        var fingerprint = new ScorerFingerprint(session.ModelSha256, session.LlamaBuild, options.Scoring.BosPolicy, session.NumericBackend);

        counters.Stage = "anchors";
        counters.ReportProgress();
        var anchors = AnchorBuilder.Build(options.Anchors, dataset, columns, reader, session, formatter);
        if (anchors.Examples.Count == 0)
            throw new NuggetsException($"{description.Files[0].Path}: no row can be an anchor (every response is empty).", ExitCodes.EmptyDataset);
        var layout = new OutputLayout(options.Output.Directory, options.Output.Format);
        if (mode == PipelineMode.Anchors)
        {
            CreateOutputDirectory(layout);
            using var anchorOutput = new OutputTransaction();
            WriteAnchors(anchors, dataset, options, anchorOutput, layout);
            anchorOutput.Commit();
            stages?.Publish();
            return new PipelineResult(anchors, [], null, layout.Anchors, null) { Threads = session.Threads, ThreadRange = session.Governor?.Range };
        }

        var sequences = AnchorTokenizer.Tokenize(anchors, session.Engine, formatter, options.Scoring.AnchorMaxTokens);
        var anchorKeys = sequences.Select(TokenKey.OfAnchor).ToArray();

        using var ownCache = stageCache is null ? OpenCache(options) : null;
        var cache = stageCache ?? ownCache!;
        // Under auto the thread count follows the load between engine calls (GovernedEngine); it never changes a sum.
        var decoding = session.Governor is { } governor ? new GovernedEngine(session.Engine, governor) : session.Engine;
        var zeroShot = ZeroShot(decoding, cache, fingerprint.Id, sequences, anchorKeys, options.Scoring.BosPolicy == "symmetric", mode, counters);

        counters.Stage = "scoring";
        counters.ReportProgress(); // the cache is open and zero-shot sums are known: say that scoring has begun
        counters.AnchorWins = new long[sequences.Length];
        counters.AnchorScored = new long[sequences.Length];
        var rule = options.Selection.Mode == "threshold" && options.Selection.Prune
            ? new ThresholdRule(options.Selection.Threshold, sequences.Length)
            : null;
        var engine = mode == PipelineMode.Select ? new NoDecodingEngine(session.Engine) : decoding;
        var scorer = new ChunkScorer(engine, cache, fingerprint.Id, sequences, anchorKeys, zeroShot, counters, options.Cache.CommitPairs);
        var rows = ScoreRows(reader, dataset, options, anchors, sequences, formatter, session.Engine, scorer, rule, counters, cancellation);

        // Outputs only once every row was read and scored, and all of them or none: a data error found mid-stream or
        // a full disk leaves the previous outputs untouched.
        counters.Stage = "writing";
        counters.ReportProgress();
        CreateOutputDirectory(layout);
        using var output = new OutputTransaction();
        WriteAnchors(anchors, dataset, options, output, layout);
        var scored = rows.Where(r => r.Status == RowStatus.Scored).ToArray();
        string? outputPath = null;
        ManifestOutput? outputRecord = null;
        IReadOnlyList<RowScore>? selected = null;
        if (options.Shard.Count == 1 || mode == PipelineMode.Select)
        {
            if (mode == PipelineMode.Score)
            {
                outputPath = layout.Scores;
                Write(dataset, scored, sequences.Length, output.Stage(outputPath), options.Output.Format, includeWinCounts: true);
            }
            else
            {
                selected = Selector.Select(scored, sequences.Length, options.Selection);
                outputPath = layout.Selected;
                Write(dataset, selected, sequences.Length, output.Stage(outputPath), options.Output.Format, includeWinCounts: false);
                // `run` also keeps every scored row (with wins, anchors_scored, score_exact) for the report and `inspect`.
                if (mode == PipelineMode.Run)
                    Write(dataset, scored, sequences.Length, output.Stage(layout.Scores), options.Output.Format, includeWinCounts: true);
            }
            outputRecord = new ManifestOutput(outputPath, FileHash.Sha256Of(output.StagedPathOf(outputPath)), mode == PipelineMode.Score ? scored.Length : selected!.Count);
        }

        var manifest = ManifestBuilder.Build(config, description, session, fingerprint, anchors, layout.Anchors, sequences.Length, rows, selected, outputRecord, counters, services.ToolVersion, mode);
        if (stages is not null) manifest = manifest with { Stages = stages.Reports };
        var manifestPath = layout.Manifest;
        ManifestWriter.Write(manifest, output.Stage(manifestPath));
        output.Commit();
        // The stage rows move to stages/ beside the outputs that were read from them.
        stages?.Publish();
        return new PipelineResult(anchors, rows, selected, outputPath, manifestPath) { Manifest = manifest, Threads = session.Threads, ThreadRange = session.Governor?.Range };
    }

    private List<RowScore> ScoreRows(
        IDatasetReader reader, DatasetSource dataset, NuggetsOptions options, AnchorSet anchors, AnchorSequence[] sequences, ExampleFormatter formatter,
        IScoringEngine engine, ChunkScorer scorer, ThresholdRule? rule, RunCounters counters, CancellationToken cancellation)
    {
        var rows = new List<RowScore>();
        var longestAnchor = sequences.Max(s => s.Tokens.Length);
        var tallies = new Dictionary<string, CandidateTally>(StringComparer.Ordinal);
        var pending = new List<(Example Example, CandidateTally? Tally, RowScore? Final)>();

        void Flush()
        {
            scorer.Score(tallies.Values.Where(t => !t.Done).ToArray(), cancellation);
            foreach (var (example, tally, final) in pending)
            {
                rows.Add(final ?? (tally!.SkipReason is { } reason
                    ? new RowScore(example.Row, example.ContentHash, RowStatus.Skipped, 0, 0, reason)
                    : new RowScore(example.Row, example.ContentHash, RowStatus.Scored, tally.Wins, tally.Position)));
            }
            counters.CandidatesPruned += tallies.Values.Count(t => t.Pruned);
            counters.RowsDone += pending.Count;
            counters.ReportProgress();
            pending.Clear();
            tallies.Clear();
        }

        foreach (var chunk in reader.ReadChunks(dataset))
        {
            foreach (var example in chunk)
            {
                if (options.Anchors.ExcludeFromCandidates && anchors.ContentHashes.Contains(example.ContentHash))
                {
                    pending.Add((example, null, new RowScore(example.Row, example.ContentHash, RowStatus.Anchor, 0, 0)));
                    continue;
                }
                if (!Shard.Contains(example.ContentHash, options.Shard.Index, options.Shard.Count))
                {
                    pending.Add((example, null, new RowScore(example.Row, example.ContentHash, RowStatus.OtherShard, 0, 0)));
                    continue;
                }
                var text = formatter.Format(example);
                var tokens = engine.Tokenize(text.FullText, addBos: true);
                var skip = SkipReason(tokens.Length, longestAnchor, engine.ContextLength, options.Scoring.MaxExampleTokens);
                if (skip is not null)
                {
                    pending.Add((example, null, new RowScore(example.Row, example.ContentHash, RowStatus.Skipped, 0, 0, skip)));
                    continue;
                }
                var key = TokenKey.OfCandidate(tokens);
                // Identical token sequences are one candidate: scored once, reported for every row.
                if (!tallies.TryGetValue(key, out var tally))
                    tallies[key] = tally = new CandidateTally(key, tokens, rule, sequences.Length);
                pending.Add((example, tally, null));
                if (tallies.Count >= CandidatesPerChunk) Flush();
            }
        }
        Flush();
        return rows;
    }

    private IScoreCache OpenCache(NuggetsOptions options)
    {
        CreateCacheDirectory(options.Cache.Path);
        return services.OpenCache(options.Cache.Path, options.Cache.Wait);
    }

    private static string? SkipReason(int candidateTokens, int longestAnchor, int contextLength, int? maxExampleTokens)
    {
        if (maxExampleTokens is { } max && candidateTokens > max)
            return $"candidate has {candidateTokens} tokens, more than scoring.maxExampleTokens = {max}";
        if (candidateTokens + longestAnchor > contextLength)
            return $"candidate ({candidateTokens} tokens) + longest anchor ({longestAnchor}) exceed the context of {contextLength} tokens";
        return null;
    }

    private static LogProbSum[] ZeroShot(IScoringEngine engine, IScoreCache cache, string fingerprint, AnchorSequence[] sequences, string[] keys, bool withBos, PipelineMode mode, RunCounters counters)
    {
        counters.Stage = "zero-shot";
        var cached = cache.GetZeroShot(fingerprint, keys);
        var missing = Enumerable.Range(0, sequences.Length).Where(i => !cached.ContainsKey(keys[i])).ToArray();
        var sums = new Dictionary<string, LogProbSum>(cached);
        if (missing.Length > 0)
        {
            if (mode == PipelineMode.Select)
                throw NoDecodingEngine.Missing($"{missing.Length} zero-shot anchor sums");
            var fresh = engine.ScoreZeroShot(missing.Select(i => sequences[i]).ToArray(), withBos);
            var entries = missing.Select((i, j) => KeyValuePair.Create(keys[i], fresh[j])).ToArray();
            cache.PutZeroShot(fingerprint, entries);
            foreach (var (key, sum) in entries) sums[key] = sum;
            counters.ZeroShotDecoded += missing.Length;
        }
        return keys.Select(k => sums[k]).ToArray();
    }

    private void WriteAnchors(AnchorSet anchors, DatasetSource dataset, NuggetsOptions options, OutputTransaction output, OutputLayout layout)
    {
        // Anchors picked from the dataset are written from it (every input column); file anchors are already a file.
        if (anchors.Method == "file") return;
        var rows = anchors.Examples.Select(e => new RowAnnotation(e.Row, e.ContentHash, 0, 0, 0, ScoreExact: false)).ToArray();
        services.Writer.Write(dataset, rows, output.Stage(layout.Anchors), ParseOutputFormat(options.Output.Format), includeWinCounts: false);
    }

    private void Write(DatasetSource dataset, IReadOnlyList<RowScore> rows, int anchorCount, string path, string format, bool includeWinCounts)
    {
        var annotations = rows.Select(r => new RowAnnotation(r.Row, r.ContentHash, GoldenScore.Of(r.Wins, anchorCount), r.Wins, r.AnchorsScored,
            ScoreExact: r.AnchorsScored == anchorCount)).ToArray();
        services.Writer.Write(dataset, annotations, path, ParseOutputFormat(format), includeWinCounts);
    }

    private static void CreateCacheDirectory(string cachePath)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cachePath)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NuggetsException($"Cannot create the folder of score cache {cachePath}: {e.Message}", ExitCodes.CacheError, e);
        }
    }

    private static void CreateOutputDirectory(OutputLayout layout)
    {
        try
        {
            Directory.CreateDirectory(layout.Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NuggetsException($"Cannot create the output folder {layout.Directory}: {e.Message}", ExitCodes.OutputError, e);
        }
        OutputTransaction.RemoveStale(layout.Directory);
    }

    private static OutputFormat ParseOutputFormat(string format) => format == "jsonl" ? OutputFormat.JsonLines : OutputFormat.Parquet;

    private static DatasetFormat ParseFormat(string format) => format switch
    {
        "parquet" => DatasetFormat.Parquet,
        "jsonl" => DatasetFormat.JsonLines,
        "json" => DatasetFormat.Json,
        "csv" => DatasetFormat.Csv,
        _ => DatasetFormat.Auto,
    };
}
