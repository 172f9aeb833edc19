using Nuggets.Core.Scoring;

namespace Nuggets.Llama.Scoring;

/// <summary>
/// The Nuggets scoring engine on llama.cpp: zero-shot and one-shot log-probability sums of anchor responses, each
/// candidate decoded once and shared by its anchors, every pair in the canonical layout (docs/exactness.md), so a
/// sum never depends on what else was scored with it. Not thread-safe; use one engine per thread.
/// </summary>
/// <remarks>
/// Long inputs: a candidate whose candidate + anchor length exceeds <see cref="ContextLength"/> for any requested
/// anchor is skipped as a whole with a <see cref="PairResult.SkipReason"/> (a partial score would change the golden
/// score's denominator). Nothing is ever clipped. An anchor that alone exceeds the limit is an error in
/// <see cref="ScoreZeroShot"/>, since it would make every candidate unscorable.
/// </remarks>
public sealed class LlamaScoringEngine : IScoringEngine
{
    private readonly LlamaModel model;
    private readonly bool ownsModel;
    private readonly ScoringEngineOptions options;
    private LlamaContext? context;
    private PairScorer? scorer;
    private int threads;

    /// <summary>Creates an engine on a loaded model; <paramref name="ownsModel"/> disposes the model with the engine.</summary>
    public LlamaScoringEngine(LlamaModel model, ScoringEngineOptions? options = null, bool ownsModel = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        this.ownsModel = ownsModel;
        this.options = options ?? new ScoringEngineOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(this.options.MaxPairLength);
        ContextLength = this.options.MaxPairLength > 0 ? this.options.MaxPairLength : model.TrainedContextLength;
        threads = this.options.Threads == 0 ? CpuTopology.PhysicalCores : this.options.Threads;
    }

    /// <summary>Loads <paramref name="modelPath"/> and creates an engine that owns it.</summary>
    public static LlamaScoringEngine Open(string modelPath, ScoringEngineOptions? options = null, int gpuLayers = -1) =>
        new(LlamaModel.Load(modelPath, gpuLayers), options, ownsModel: true);

    /// <summary>The model scored with.</summary>
    public LlamaModel Model => model;

    /// <summary>What the engine has done so far.</summary>
    public ScoringStatistics Statistics { get; } = new();

    /// <summary>Compute threads the engine uses now (<see cref="ScoringEngineOptions.Threads"/> until <see cref="SetThreads"/>).</summary>
    public int Threads => threads;

    /// <summary>The longest candidate + anchor pair (positions) that is scored; longer candidates are skipped.</summary>
    public int ContextLength { get; }

    /// <inheritdoc />
    public int BosToken => model.Tokenizer.Bos;

    /// <inheritdoc />
    public int[] Tokenize(string text, bool addBos) => model.Tokenizer.Tokenize(text, addBos);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// An anchor has <c>ResponseStart</c> 0 without BOS (its first token has no predicting position), an invalid
    /// <c>ResponseStart</c>, or is longer than <see cref="ContextLength"/>.
    /// </exception>
    public LogProbSum[] ScoreZeroShot(IReadOnlyList<AnchorSequence> anchors, bool withBos, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        // "With BOS" means as candidates are tokenized: a model whose tokenizer adds no BOS gets none here either.
        int[] prefix = withBos && model.Tokenizer.AddsBos ? [BosToken] : [];
        for (var a = 0; a < anchors.Count; a++)
        {
            Validate(anchors[a], a);
            if (prefix.Length == 0 && anchors[a].ResponseStart == 0 && anchors[a].Tokens.Length > 0)
                throw new ArgumentException(
                    $"Anchor {a} has ResponseStart 0: without BOS its first response token has no position predicting it. " +
                    "Give every anchor a non-empty prompt, or score zero-shot with BOS (the symmetric policy).", nameof(anchors));
            if (prefix.Length + anchors[a].Tokens.Length > ContextLength)
                throw new ArgumentException(
                    $"Anchor {a} is {anchors[a].Tokens.Length} tokens; with the zero-shot prefix it exceeds the scoring context of {ContextLength}.", nameof(anchors));
        }
        var pairs = anchors.Select(a => new ScoringPair(0, a)).ToList();
        return Score([prefix], pairs, cancellation);
    }

    /// <inheritdoc />
    public IReadOnlyList<PairResult> ScorePairs(IReadOnlyList<AnchorSequence> anchors, IReadOnlyList<PairRequest> requests, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(requests);
        for (var a = 0; a < anchors.Count; a++) Validate(anchors[a], a);

        var results = new PairResult?[requests.Count];
        var prefixes = new List<int[]>();
        var owners = new List<int>();
        var pairs = new List<ScoringPair>();
        for (var r = 0; r < requests.Count; r++)
        {
            var request = requests[r];
            var skip = SkipReason(request, anchors);
            if (skip is not null)
            {
                results[r] = new PairResult([], skip);
                continue;
            }
            if (request.AnchorIndexes.Count == 0)
            {
                results[r] = new PairResult([], null);
                continue;
            }
            owners.Add(r);
            foreach (var index in request.AnchorIndexes) pairs.Add(new ScoringPair(prefixes.Count, anchors[index]));
            prefixes.Add(request.Candidate);
        }

        var sums = pairs.Count == 0 ? [] : Score(prefixes, pairs, cancellation);
        var offset = 0;
        foreach (var r in owners)
        {
            // Fewer sums than pairs: the call was stopped, and the requests from here on get what was finished of them.
            var count = Math.Min(requests[r].AnchorIndexes.Count, sums.Length - offset);
            results[r] = new PairResult(sums.AsSpan(offset, count).ToArray(), null);
            offset += count;
        }
        return results.Select(r => r!).ToArray();
    }

    /// <inheritdoc />
    public void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        this.threads = threads;
        context?.SetThreads(threads);
    }

    private string? SkipReason(PairRequest request, IReadOnlyList<AnchorSequence> anchors)
    {
        if (request.Candidate.Length == 0) return "empty candidate (no tokens, not even BOS)";
        var longest = 0;
        foreach (var index in request.AnchorIndexes)
        {
            if ((uint)index >= (uint)anchors.Count)
                throw new ArgumentOutOfRangeException(nameof(request), $"Anchor index {index} is outside the {anchors.Count} anchors.");
            longest = Math.Max(longest, anchors[index].Tokens.Length);
        }
        var length = request.Candidate.Length + longest;
        return length > ContextLength
            ? $"candidate ({request.Candidate.Length} tokens) + longest anchor ({longest} tokens) = {length} tokens exceeds the scoring context of {ContextLength} tokens"
            : null;
    }

    private void Validate(AnchorSequence anchor, int index)
    {
        var vocabulary = model.Tokenizer.VocabularySize;
        if (anchor.ResponseStart < 0 || anchor.ResponseStart > anchor.Tokens.Length)
            throw new ArgumentException($"Anchor {index}: ResponseStart {anchor.ResponseStart} is outside its {anchor.Tokens.Length} tokens.");
        foreach (var token in anchor.Tokens)
        {
            if ((uint)token >= (uint)vocabulary)
                throw new ArgumentException($"Anchor {index}: token {token} is not in the model's vocabulary of {vocabulary}.");
        }
    }

    private LogProbSum[] Score(IReadOnlyList<int[]> prefixes, IReadOnlyList<ScoringPair> pairs, CancellationToken cancellation)
    {
        var vocabulary = model.Tokenizer.VocabularySize;
        foreach (var prefix in prefixes)
        {
            foreach (var token in prefix)
            {
                if ((uint)token >= (uint)vocabulary)
                    throw new ArgumentException($"Candidate token {token} is not in the model's vocabulary of {vocabulary}.");
            }
        }
        var cells = PairScorer.CellsNeeded(prefixes, pairs);
        return EnsureScorer(cells).Score(prefixes, pairs, cancellation);
    }

    /// <summary>
    /// The context holds one sequence: the longest candidate + anchor pair. It is recreated (rounded up, so growth is
    /// rare) only when a call needs more cells than it has; its size never changes a sum (CanonicalLayout).
    /// </summary>
    private PairScorer EnsureScorer(int cellsNeeded)
    {
        if (context is not null && scorer is not null && context.ContextLength >= cellsNeeded) return scorer;
        scorer?.Dispose();
        context?.Dispose();
        const int granule = 1024;
        var cells = (cellsNeeded + granule - 1) / granule * granule;
        context = LlamaContext.Create(model, new LlamaContextOptions
        {
            ContextLength = cells,
            BatchSize = CanonicalLayout.SliceTokens,
            MaxSequences = 1,
            Threads = threads,
            FullPrecisionAttention = true,
        });
        scorer = new PairScorer(context, options.SharePrefix, Statistics);
        return scorer;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        scorer?.Dispose();
        context?.Dispose();
        if (ownsModel) model.Dispose();
    }
}
