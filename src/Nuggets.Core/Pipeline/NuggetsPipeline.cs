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
/// dataset → anchors → zero-shot sums → counting the pairs to decode (for progress) → one-shot sums (cached, pruned
/// when exact) → golden scores → selection, output and manifest.
/// </summary>
public sealed class NuggetsPipeline(PipelineServices services)
{
    /// <summary>Distinct candidates handled per chunk, and per cache query of the counting pass (bounds memory of in-flight work).</summary>
    public int CandidatesPerChunk { get; init; } = 256;

    /// <summary>Runs the pipeline; cancelling <paramref name="cancellation"/> stops it as <see cref="RunStop"/> describes.</summary>
    /// <exception cref="NuggetsException">Bad input, missing cache entries (select), output failures.</exception>
    /// <exception cref="RunStoppedException">Cancelled before the publish point; every committed batch is in the cache.</exception>
    public PipelineResult Run(LoadedConfig config, PipelineMode mode, IProgress<PipelineProgress>? progress = null, CancellationToken cancellation = default)
    {
        using var stop = RunStop.Following(cancellation);
        return Run(config, mode, progress, stop);
    }

    /// <summary>
    /// Runs the pipeline until it is done or <paramref name="stop"/> is requested. A stop is honoured at the next safe
    /// point of any phase (between model calls, cache commits, chunks of rows and output files); what was committed to
    /// the cache stays there, and nothing is published unless the request came after the publish point.
    /// </summary>
    /// <exception cref="NuggetsException">Bad input, missing cache entries (select), output failures.</exception>
    /// <exception cref="RunStoppedException">Stopped before the publish point; every committed batch is in the cache.</exception>
    public PipelineResult Run(LoadedConfig config, PipelineMode mode, IProgress<PipelineProgress>? progress, RunStop stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        var counters = new RunCounters(progress);
        try
        {
            return Run(config, mode, counters, stop);
        }
        catch (OperationCanceledException e) when (stop.Requested && e is not RunStoppedException)
        {
            throw new RunStoppedException(counters.Stage, counters.Committed(), e);
        }
    }

    private PipelineResult Run(LoadedConfig config, PipelineMode mode, RunCounters counters, RunStop stop)
    {
        var cancellation = stop.Token;
        var options = config.Options;
        var columns = new ColumnMapping(options.Dataset.Columns.Instruction, options.Dataset.Columns.Input, options.Dataset.Columns.Output, options.Dataset.Columns.Messages);
        var dataset = new DatasetSource(options.Dataset.Paths, columns, options.Dataset.Format);
        IDatasetReader reader = options.Dataset.MaxRows is { } maxRows ? new RowLimitedReader(services.Reader, dataset, maxRows) : services.Reader;
        reader = new CancellableReader(reader, cancellation);
        var description = reader.Describe(dataset);
        counters.RowsTotal = description.Rows;

        using var session = services.OpenSession(options.Model, options.Scoring);
        cancellation.ThrowIfCancellationRequested(); // loading a model is one long native call
        // LIFT stages run first (they need the cache); the rows they leave become the dataset for anchors and scoring.
        // Their caches stay open for the scoring: one open of the cache file per run.
        using var stageCaches = options.Stages.Count > 0 ? OpenCache(options) : null;
        using var stages = stageCaches is null ? null
            : new StageRunner(services).Run(options, reader, dataset, session, stageCaches.Stages, counters, mode == PipelineMode.Select, cancellation);
        // Anchors are tasks of the dataset being selected (the paper's): the original rows unless anchors.from says stages.
        var anchorSource = dataset;
        if (stages is not null)
        {
            dataset = stages.Dataset;
            if (options.Anchors.From == AnchorSource.Stages) anchorSource = dataset;
            (counters.RowsDone, counters.RowsTotal) = (0, stages.Rows);
        }
        var formatter = new ExampleFormatter(session.ChatTemplate);
        var fingerprint = new ScorerFingerprint(session.ModelSha256, session.LlamaBuild, options.Scoring.BosPolicy, session.NumericBackend);

        counters.Begin("anchors");
        var pins = AnchorPins.Resolve(options.Anchors, config.RefreshAnchors, options.Shard.Count > 1, anchorSource, reader, AnchorBuilder.CanBeAnchor(formatter),
            () => AnchorBuilder.Build(options.Anchors, anchorSource, columns, reader, session, formatter, counters, cancellation));
        var anchors = pins.Anchors;
        if (anchors.Examples.Count == 0)
            throw new NuggetsException($"{description.Files[0].Path}: no row can be an anchor (every response is empty).", ExitCodes.EmptyDataset);
        var layout = new OutputLayout(options.Output.Directory, options.Output.Format);
        if (mode == PipelineMode.Anchors)
        {
            counters.Begin("writing");
            cancellation.ThrowIfCancellationRequested();
            CreateOutputDirectory(layout);
            using var anchorOutput = new OutputTransaction();
            pins.Stage(anchorOutput);
            WriteAnchors(anchors, anchorSource, options, anchorOutput, layout);
            FileStaged(counters, cancellation);
            stop.Publish(() =>
            {
                anchorOutput.Commit();
                stages?.Publish();
            });
            counters.Pairs.CountingDone(); // anchors only: no sums to decode
            counters.RowsDone = counters.RowsTotal; // every row was read to pick the anchors; none is left to decide
            counters.Begin(PipelineProgress.DoneStage);
            return new PipelineResult(anchors, [], null, layout.Anchors, null) { Threads = session.Threads, ThreadRange = session.Governor?.Range, Warning = pins.Warning, AnchorLock = pins.Lock };
        }

        var sequences = AnchorTokenizer.Tokenize(anchors, session.Engine, formatter, options.Scoring.AnchorMaxTokens);
        var anchorKeys = sequences.Select(TokenKey.OfAnchor).ToArray();

        using var ownCaches = stageCaches is null ? OpenCache(options) : null;
        var cache = (stageCaches ?? ownCaches!).Scores;
        // Under auto the thread count follows the load between engine calls (GovernedEngine); it never changes a sum.
        var decoding = session.Governor is { } governor ? new GovernedEngine(session.Engine, governor) : session.Engine;
        var zeroShot = ZeroShot(decoding, cache, fingerprint.Id, sequences, anchorKeys, options.Scoring.BosPolicy == BosPolicy.Symmetric, mode,
            options.Cache.CommitPairs, counters, cancellation);
        var pruning = PruningOf(options, mode);
        var rule = pruning == Pruning.Threshold ? new ThresholdRule(options.Selection.Threshold, sequences.Length) : null;
        var longestAnchor = sequences.Max(s => s.Tokens.Length);
        var candidates = new CandidateRows(reader, dataset, options, anchors, longestAnchor, formatter, session.Engine);
        counters.AnchorWins = new long[sequences.Length];
        counters.AnchorScored = new long[sequences.Length];
        var engine = mode == PipelineMode.Select ? new NoDecodingEngine(session.Engine) : decoding;
        // Pairs the pilot decodes are this run's work: when scoring meets them again they do not count as cached.
        var decodedThisRun = new HashSet<(string, string)>();
        ChunkScorer Scorer(bool pilot) => new(engine, cache, fingerprint.Id, sequences, anchorKeys, zeroShot, counters, options.Cache.CommitPairs)
        {
            Pilot = pilot, DecodedThisRun = decodedThisRun,
        };

        // The pilot comes before the count when the cache already holds its pairs (nothing to decode, and the count then
        // replays cached walks in the order scoring will use), and after it otherwise, so a bad row is still found before
        // anything is decoded; its pairs are owed from the start, so the total stated after the count holds.
        var order = AnchorOrder.FileOrder(sequences.Length);
        PilotResult? pilot = null;
        var demonstrations = UsesPilot(options, pruning, sequences.Length, counters.RowsTotal)
            ? AnchorPilot.Demonstrations(anchors, formatter, session.Engine, longestAnchor, options.Selection.PilotAnchors)
            : [];
        var cachedPilot = cache.GetPairs(fingerprint.Id, demonstrations.Select(d => d.Key).ToArray(), anchorKeys);
        var missing = demonstrations.Select(d => anchorKeys.Count(a => !cachedPilot.ContainsKey((d.Key, a)))).ToArray();
        var pilotMissing = missing.Sum();
        // select decodes nothing: after a score that ran no pilot (full scoring, or pruning in file order) it walks the
        // cached pairs in file order, which is what that score left; after one that ran it, the pilot is cached.
        if (mode == PipelineMode.Select && pilotMissing > 0) (demonstrations, pilotMissing) = (Array.Empty<(int, int[], string)>(), 0);
        for (var d = 0; d < demonstrations.Count; d++) counters.Pairs.Owe(demonstrations[d].Key, missing[d]);
        void Pilot()
        {
            counters.Begin("pilot");
            pilot = AnchorPilot.Run(demonstrations, Scorer(pilot: true), sequences.Length, cancellation);
            order = pilot.Order;
        }
        if (demonstrations.Count > 0 && pilotMissing == 0) Pilot();

        counters.Begin("counting");
        PairCounter.Count(candidates, cache, fingerprint.Id, anchorKeys, zeroShot, rule, order, CandidatesPerChunk, counters, cancellation);
        if (demonstrations.Count > 0 && pilotMissing > 0) Pilot();

        counters.Begin("scoring"); // the cache is open, zero-shot sums are known and the pairs counted: say that scoring has begun
        var scorer = Scorer(pilot: false);
        var rows = pruning == Pruning.Ranked
            ? ScoreRanked(candidates, order, new RankedScoring(scorer, sequences.Length, options.Selection, CandidatesPerChunk), counters, cancellation)
            : ScoreRows(candidates, order, scorer, rule, counters, cancellation);

        // Outputs only once every row was read and scored, and all of them or none: a data error found mid-stream,
        // a full disk or a stop leaves the previous outputs untouched.
        counters.Begin("writing");
        cancellation.ThrowIfCancellationRequested();
        CreateOutputDirectory(layout);
        using var output = new OutputTransaction();
        pins.Stage(output);
        WriteAnchors(anchors, anchorSource, options, output, layout);
        FileStaged(counters, cancellation);
        var scored = rows.Where(r => r.Status == RowStatus.Scored).ToArray();
        string? outputPath = null;
        ManifestOutput? outputRecord = null;
        IReadOnlyList<RowScore>? selected = null;
        if (mode == PipelineMode.Score)
        {
            // A shard's score table holds its own rows; merged, the caches give select the whole table.
            outputPath = layout.Scores;
            Write(dataset, scored, sequences.Length, output.Stage(outputPath), options.Output.Format, includeWinCounts: true);
            FileStaged(counters, cancellation);
            outputRecord = new ManifestOutput(outputPath, FileHash.Sha256Of(output.StagedPathOf(outputPath)), scored.Length);
        }
        else if (options.Shard.Count == 1 || mode == PipelineMode.Select)
        {
            selected = Selector.Select(scored, sequences.Length, options.Selection);
            outputPath = layout.Selected;
            Write(dataset, selected, sequences.Length, output.Stage(outputPath), options.Output.Format, includeWinCounts: false);
            FileStaged(counters, cancellation);
            // `run` and `select` also keep every scored row (with wins, anchors_scored, score_exact) for the report and
            // `inspect`: select after a sharded score writes the same table as an unsharded run.
            Write(dataset, scored, sequences.Length, output.Stage(layout.Scores), options.Output.Format, includeWinCounts: true);
            FileStaged(counters, cancellation);
            outputRecord = new ManifestOutput(outputPath, FileHash.Sha256Of(output.StagedPathOf(outputPath)), selected.Count);
        }

        var manifest = ManifestBuilder.Build(config, description, session, fingerprint, pins, layout.Anchors, sequences.Length, rows, selected, outputRecord, counters, services.ToolVersion, mode);
        manifest = manifest with { Pruning = ManifestBuilder.Pruning(pruning, order, pilot, options) };
        if (stages is not null) manifest = manifest with { Stages = stages.Reports };
        var manifestPath = layout.Manifest;
        ManifestWriter.Write(manifest, output.Stage(manifestPath));
        stop.Publish(() =>
        {
            output.Commit();
            // The stage rows move to stages/ beside the outputs that were read from them.
            stages?.Publish();
        });
        counters.Begin(PipelineProgress.DoneStage);
        return new PipelineResult(anchors, rows, selected, outputPath, manifestPath)
        {
            Manifest = manifest, Threads = session.Threads, ThreadRange = session.Governor?.Range, Warning = pins.Warning, AnchorLock = pins.Lock,
        };
    }

    /// <summary>Which exact pruning a run does (README.md, "Exact pruning").</summary>
    internal enum Pruning
    {
        /// <summary>Every anchor of every candidate.</summary>
        None,
        /// <summary>Threshold selection: each candidate alone, held to <see cref="ThresholdRule.WinsNeeded"/>.</summary>
        Threshold,
        /// <summary>Top-k selection: candidates held to the k-th best row (<see cref="RankedScoring"/>).</summary>
        Ranked,
    }

    /// <summary>
    /// Threshold pruning decides each candidate alone, so it holds in every mode and shard. Top-k pruning needs every
    /// row of the selection in one run, so it applies to an unsharded <c>run</c> and to <c>select</c>, never to
    /// <c>score</c> (whose table a later <c>select</c> ranks).
    /// </summary>
    private static Pruning PruningOf(NuggetsOptions options, PipelineMode mode) => options.Selection switch
    {
        { Prune: false } => Pruning.None,
        { Mode: SelectionMode.Threshold } => Pruning.Threshold,
        _ when mode == PipelineMode.Select || (mode == PipelineMode.Run && options.Shard.Count == 1) => Pruning.Ranked,
        _ => Pruning.None,
    };

    /// <summary>Whether pruning visits the anchors in the pilot's order (<c>selection.anchorOrder</c>).</summary>
    private static bool UsesPilot(NuggetsOptions options, Pruning pruning, int anchorCount, long rows) =>
        pruning != Pruning.None && anchorCount > 1 && options.Selection.AnchorOrder switch
        {
            AnchorOrderMethod.Pilot => true,
            AnchorOrderMethod.Auto => rows >= (long)AnchorOrderRules.PilotRowsPerDemonstration * Math.Min(options.Selection.PilotAnchors, anchorCount),
            _ => false,
        };

    private List<RowScore> ScoreRows(
        CandidateRows candidates, AnchorOrder order, ChunkScorer scorer, ThresholdRule? rule, RunCounters counters, CancellationToken cancellation)
    {
        var rows = new List<RowScore>();
        var gathered = new GatheredRows(order, rule?.WinsNeeded, counters);

        void Flush()
        {
            scorer.Score(gathered.Distinct, cancellation);
            rows.AddRange(gathered.Outcomes());
            counters.ReportProgress();
            gathered.Clear();
        }

        foreach (var row in candidates.Read())
        {
            gathered.Add(row);
            if (gathered.Distinct.Count >= CandidatesPerChunk) Flush();
        }
        Flush();
        return rows;
    }

    /// <summary>Top-k pruning needs every candidate at once: all are read, then scored as <see cref="RankedScoring"/> orders.</summary>
    private static List<RowScore> ScoreRanked(CandidateRows candidates, AnchorOrder order, RankedScoring ranked, RunCounters counters, CancellationToken cancellation)
    {
        var gathered = new GatheredRows(order, winsNeeded: null, counters);
        foreach (var row in candidates.Read()) gathered.Add(row);
        ranked.Score(gathered.Distinct, cancellation);
        counters.ReportProgress();
        return gathered.Outcomes().ToList();
    }

    /// <summary>
    /// Rows read for scoring, in order: settled ones as they are (counted as decided when read), candidates as one
    /// tally per distinct token sequence (identical rows are scored once and reported for every row).
    /// </summary>
    private sealed class GatheredRows(AnchorOrder order, int? winsNeeded, RunCounters counters)
    {
        private readonly Dictionary<string, CandidateTally> tallies = new(StringComparer.Ordinal);
        private readonly List<CandidateTally> distinct = [];
        private readonly List<(Example Example, CandidateTally? Tally, RowScore? Final)> pending = [];

        /// <summary>The distinct candidates, in order of first row.</summary>
        public IReadOnlyList<CandidateTally> Distinct => distinct;

        public void Add(CandidateRow row)
        {
            if (row.Final is { } final)
            {
                pending.Add((row.Example, null, final));
                counters.RowsDone++; // decided as it is read
                return;
            }
            if (!tallies.TryGetValue(row.Key!, out var tally))
            {
                tallies[row.Key!] = tally = new CandidateTally(row.Key!, row.Tokens!, winsNeeded, order);
                distinct.Add(tally);
            }
            tally.AddRow(row.Example.Row);
            pending.Add((row.Example, tally, null));
        }

        /// <summary>Every row's outcome, in row order, once its candidate is decided.</summary>
        public IEnumerable<RowScore> Outcomes() => pending.Select(p => Outcome(p.Example, p.Tally, p.Final));

        public void Clear()
        {
            tallies.Clear();
            distinct.Clear();
            pending.Clear();
        }
    }

    private static RowScore Outcome(Example example, CandidateTally? tally, RowScore? final) =>
        final ?? (tally!.SkipReason is { } reason
            ? new RowScore(example.Row, example.ContentHash, RowStatus.Skipped, 0, 0, reason)
            : new RowScore(example.Row, example.ContentHash, RowStatus.Scored, tally.Wins, tally.Position) { Outcomes = tally.Outcomes });

    // Each output file is one native call (a COPY) that cannot be interrupted; between files a stop is honoured, and
    // the staged files are then removed by the transaction.
    private static void FileStaged(RunCounters counters, CancellationToken cancellation)
    {
        counters.ReportProgress();
        cancellation.ThrowIfCancellationRequested();
    }

    private RunCaches OpenCache(NuggetsOptions options)
    {
        CreateCacheDirectory(options.Cache.Path);
        return services.OpenCache(options.Cache.Path, options.Cache.Wait);
    }

    /// <summary>
    /// Zero-shot sums of the anchors: cached ones are used; missing ones are decoded about <paramref name="perCommit"/> at
    /// a time (the canonical layout makes a sum independent of what is decoded with it) and committed after each call.
    /// </summary>
    private static LogProbSum[] ZeroShot(
        IScoringEngine engine, IScoreCache cache, string fingerprint, AnchorSequence[] sequences, string[] keys, bool withBos, PipelineMode mode,
        int perCommit, RunCounters counters, CancellationToken cancellation)
    {
        var cached = cache.GetZeroShot(fingerprint, keys);
        var missing = Enumerable.Range(0, sequences.Length).Where(i => !cached.ContainsKey(keys[i])).ToArray();
        counters.Pairs.OweZeroShot(missing.Length);
        counters.Begin("zero-shot");
        var sums = new Dictionary<string, LogProbSum>(cached);
        if (missing.Length > 0 && mode == PipelineMode.Select)
            throw NoDecodingEngine.Missing($"{missing.Length} zero-shot anchor sums");
        foreach (var part in missing.Chunk(perCommit))
        {
            cancellation.ThrowIfCancellationRequested();
            // A call cut short by a stop returns the sums it finished; they are committed before the stop is honoured.
            var fresh = engine.ScoreZeroShot(part.Select(i => sequences[i]).ToArray(), withBos, cancellation);
            var entries = fresh.Select((sum, j) => KeyValuePair.Create(keys[part[j]], sum)).ToArray();
            cache.PutZeroShot(fingerprint, entries);
            foreach (var (key, sum) in entries) sums[key] = sum;
            counters.ZeroShotDecoded += entries.Length;
            counters.ReportProgress();
            cancellation.ThrowIfCancellationRequested();
        }
        return keys.Select(k => sums[k]).ToArray();
    }

    private void WriteAnchors(AnchorSet anchors, DatasetSource dataset, NuggetsOptions options, OutputTransaction output, OutputLayout layout)
    {
        // Anchors picked from the dataset are written from it (every input column); file anchors are already a file.
        if (anchors.Method == AnchorMethod.File) return;
        var rows = anchors.Examples.Select(e => new RowAnnotation(e.Row, e.ContentHash, 0, 0, 0, ScoreExact: false)).ToArray();
        services.Writer.Write(dataset, rows, output.Stage(layout.Anchors), options.Output.Format, includeWinCounts: false);
    }

    private void Write(DatasetSource dataset, IReadOnlyList<RowScore> rows, int anchorCount, string path, OutputFormat format, bool includeWinCounts)
    {
        var annotations = rows.Select(r => new RowAnnotation(r.Row, r.ContentHash, GoldenScore.Of(r.Wins, anchorCount), r.Wins, r.AnchorsScored,
            ScoreExact: r.AnchorsScored == anchorCount) { Outcomes = r.Outcomes }).ToArray();
        services.Writer.Write(dataset, annotations, path, format, includeWinCounts);
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
}
