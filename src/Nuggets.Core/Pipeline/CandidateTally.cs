using Nuggets.Core.Scoring;

namespace Nuggets.Core.Pipeline;

/// <summary>
/// One distinct candidate's walk through the anchors in the run's anchor order (<see cref="AnchorOrder"/>). Outcomes
/// are consumed strictly in that order and the walk stops at the first point a rejection is certain, so where it stops
/// — and therefore its wins — depends only on the sums and the bound it is held to, never on what happened to be
/// cached. A candidate that can still be selected is scored to the end, so every selected row carries its exact golden
/// score; pruning saves rejections only.
/// </summary>
/// <remarks>
/// The bound is <see cref="WinsNeeded"/>: the fewest final wins that can still get the candidate selected. Threshold
/// selection fixes it once (<see cref="ThresholdRule.WinsNeeded"/>); top-k selection raises it as the k-th best row
/// becomes more certain (<see cref="RankedScoring"/>). Once the candidate's best possible final wins (wins so far plus
/// anchors left) fall below it, the candidate cannot be selected and its walk ends.
/// </remarks>
internal sealed class CandidateTally
{
    private readonly AnchorOrder order;
    private readonly char[] outcomes;

    public CandidateTally(string key, int[] tokens, int? winsNeeded, AnchorOrder order)
    {
        Key = key;
        Tokens = tokens;
        WinsNeeded = winsNeeded;
        this.order = order;
        outcomes = new string('-', order.Count).ToCharArray();
        Limit = order.Count;
    }

    public string Key { get; }
    public int[] Tokens { get; }
    public int Wins { get; private set; }

    /// <summary>Anchors consumed so far: positions 0..Position−1 of the anchor order.</summary>
    public int Position { get; private set; }

    public string? SkipReason { get; private set; }

    private readonly List<long> rows = [];

    /// <summary>Dataset rows this candidate stands for (rows with identical tokens share one tally), in row order.</summary>
    public IReadOnlyList<long> RowNumbers => rows;

    /// <summary>Number of dataset rows this candidate stands for; for progress and ranking.</summary>
    public int Rows => rows.Count;

    /// <summary>The first dataset row with these tokens: the row its ties are resolved by.</summary>
    public long FirstRow => rows.Count > 0 ? rows[0] : long.MaxValue;

    /// <summary>Adds a dataset row with these tokens (rows come in row order).</summary>
    public void AddRow(long row) => rows.Add(row);

    /// <summary>Pairs of this candidate this run decoded (not taken from the cache); for progress.</summary>
    public int Decoded { get; set; }

    /// <summary>Fewest final wins that can still select the candidate; null: no pruning, every anchor is scored.</summary>
    public int? WinsNeeded { get; set; }

    /// <summary>The walk pauses at this position until it is raised (a first pass over a few anchors); the anchor count by default.</summary>
    public int Limit { get; set; }

    /// <summary>Set once the pipeline has counted this candidate as decided (it is decided once only).</summary>
    public bool Reported { get; set; }

    public int Losses => Position - Wins;

    /// <summary>Wins + anchors left: the most the candidate's final wins can be.</summary>
    public int MostWins => order.Count - Losses;

    public bool Done => SkipReason is not null || Position == order.Count || CertainlyRejected;

    /// <summary>Not decided and below its <see cref="Limit"/>: it has anchors to score now.</summary>
    public bool NeedsWork => !Done && Position < Limit;

    private bool CertainlyRejected => WinsNeeded is { } needed && MostWins < needed;

    public bool Pruned => SkipReason is null && Position < order.Count;

    /// <summary>Outcomes in the anchors' file order: <c>1</c> win, <c>0</c> loss, <c>-</c> not scored.</summary>
    public string Outcomes => new(outcomes);

    /// <summary>
    /// The positions to know next: exactly those that can be needed before a decision is possible (a rejection needs
    /// MostWins to fall below WinsNeeded; reaching WinsNeeded wins means the candidate goes to the end), within <see cref="Limit"/>.
    /// </summary>
    public Range NextBlock()
    {
        var left = order.Count - Position;
        var count = WinsNeeded is not { } needed || Wins >= needed
            ? left
            : Math.Min(needed - Wins, MostWins - needed + 1);
        return Position..Math.Min(Limit, Position + Math.Max(0, Math.Min(count, left)));
    }

    /// <summary>The anchor (index in file order) at a position of the walk.</summary>
    public int AnchorAt(int position) => order[position];

    /// <summary>Consumes the outcome of the anchor at <see cref="Position"/>.</summary>
    public void Advance(bool win)
    {
        if (Done) throw new InvalidOperationException("The candidate is already decided.");
        outcomes[order[Position]] = win ? '1' : '0';
        if (win) Wins++;
        Position++;
    }

    public void Skip(string reason) => SkipReason = reason;
}
