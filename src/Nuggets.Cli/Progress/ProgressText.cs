using System.Globalization;
using Nuggets.Core.Pipeline;

namespace Nuggets.Cli.Progress;

/// <summary>
/// The words of a progress report: the plain line printed when not on a terminal (CI logs, the MSBuild task, tests
/// that follow a run) and the pieces the terminal bars show.
/// </summary>
internal static class ProgressText
{
    /// <summary>
    /// <c>nuggets: scoring: rows 40/150 (26%), pairs decoded 410/1,510 (27%), committed 10, from cache 0, pruned 3, batches committed 0, rate 35.1 pairs/s, ETA 0:00:31, elapsed 0:00:12</c>.
    /// The pairs total is <c>?</c> until the rows are counted; the rate appears once measured, the ETA once the total is
    /// known, both until the run is done.
    /// </summary>
    public static string Line(ProgressSnapshot snapshot)
    {
        var p = snapshot.Progress;
        var line = $"nuggets: {Stage(p)}: rows {p.RowsDone:N0}/{p.RowsTotal:N0} ({Percent(p.RowsDone, p.RowsTotal)}), pairs decoded {Pairs(p)}, "
            + $"committed {p.PairsCommitted:N0}, from cache {p.PairsFromCache:N0}, pruned {p.CandidatesPruned:N0}, batches committed {p.BatchesCommitted:N0}, ";
        if (!p.Finished && snapshot.PairsPerSecond is not null) line += Rate(snapshot) + ", ";
        if (!p.Finished && p.PairsTotal is not null) line += $"ETA {Duration(snapshot.Eta)}, ";
        return line + $"elapsed {Duration(snapshot.Elapsed)}";
    }

    /// <summary>The stage, with what it works through when that is not rows or pairs: <c>anchors (64/256 rows embedded)</c>.</summary>
    public static string Stage(PipelineProgress p) => p.Detail is null ? p.Stage : $"{p.Stage} ({p.Detail})";

    /// <summary><c>410/1,510 (27%)</c>, or <c>0/?</c> while the total is not known.</summary>
    public static string Pairs(PipelineProgress p) =>
        p.PairsTotal is { } total ? $"{p.PairsDecoded:N0}/{total:N0} ({Percent(p.PairsDecoded, total)})" : $"{p.PairsDecoded:N0}/?";

    /// <summary><c>rate 35.1 pairs/s</c>, or <c>rate ?</c> until measured.</summary>
    public static string Rate(ProgressSnapshot snapshot) =>
        snapshot.PairsPerSecond is { } rate ? $"rate {PerSecond(rate)} pairs/s" : "rate ?";

    /// <summary>A rate with three significant digits or so: <c>0.85</c>, <c>35.1</c>.</summary>
    public static string PerSecond(double rate) => rate.ToString(rate < 10 ? "N2" : "N1", CultureInfo.CurrentCulture);

    /// <summary>Whole percent done, rounded down so that 100% means all of it; nothing to do is 100%.</summary>
    public static string Percent(long done, long total) =>
        (total <= 0 ? 100 : Math.Clamp(done * 100 / total, 0, 100)).ToString(CultureInfo.InvariantCulture) + "%";

    /// <summary><c>h:mm:ss</c> (hours unbounded), or <c>?</c> when unknown.</summary>
    public static string Duration(TimeSpan? time) => time is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"{(long)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
        : "?";
}
