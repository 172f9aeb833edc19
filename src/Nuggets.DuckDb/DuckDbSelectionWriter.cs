using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.DuckDb.Datasets;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb;

/// <summary>
/// Writes selected rows of a dataset, all input columns in input order plus the annotation columns, as zstd
/// Parquet (byte-identical for identical inputs) or JSON Lines, through a temporary file renamed into place. The rows
/// come from the run's one read of the dataset (<see cref="DuckDbDatasets"/>), not from another scan of its files.
/// </summary>
/// <param name="datasets">The run's shared datasets; null: each write reads the dataset into its own.</param>
public sealed class DuckDbSelectionWriter(DuckDbDatasets? datasets = null) : ISelectionWriter
{
    private const string SelectionTable = "nuggets_selection";
    private static readonly string[] AnnotationColumns = ["golden_score", "row", "content_hash", "wins", "anchors_scored", "score_exact", "wilson_low", "wilson_high", "outcomes"];

    /// <inheritdoc />
    /// <exception cref="NuggetsException">The dataset is missing, corrupt, empty, does not match its mapping or changed
    /// since the run read it (nothing is written), or the output cannot be written (<see cref="ExitCodes.OutputError"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row is outside the dataset (a caller bug).</exception>
    public void Write(DatasetSource source, IReadOnlyList<RowAnnotation> rows, string outputPath, OutputFormat format, bool includeWinCounts)
    {
        using var owned = datasets is null ? new DuckDbDatasets() : null;
        var store = datasets ?? owned!;
        var plan = store.Plan(source);
        // The rows written are the ones read at the start; a file rewritten since would make the manifest's hash a lie.
        plan.EnsureUnchanged();
        var total = plan.Files.Sum(f => Math.Max(0, f.Schema.Rows));
        foreach (var row in rows)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(row.Row, nameof(rows));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row.Row, total, nameof(rows));
        }

        // Its own connection: the selection is a TEMP table of this write; the dataset session runs one thread, so the
        // COPY writes row groups in one deterministic order.
        using var session = store.Connect();
        LoadSelection(session, rows);
        var query = SelectSql(plan, includeWinCounts);
        var target = Path.GetFullPath(outputPath);
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.tmp");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var options = format == OutputFormat.Parquet ? "FORMAT parquet, COMPRESSION zstd" : "FORMAT json";
            long written;
            try
            {
                written = session.Execute($"COPY ({query}) TO ? ({options})", temporary);
            }
            catch (DuckDbException e) when (e.ErrorType is not Native.DuckDbErrorType.Io)
            {
                // The dataset passed its schema check, so a failure while scanning it is a damaged file.
                throw new NuggetsException($"Reading the dataset for {target} failed: {e.Message}", ExitCodes.CorruptDataset, e);
            }
            if (written != rows.Count)
                throw new InvalidOperationException($"wrote {written} rows for {rows.Count} selected");
            plan.EnsureUnchanged(); // and not during the COPY either, before the file takes its name
            // rename(2) within one directory is atomic: a reader sees the old file or the whole new one.
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is DuckDbException or IOException or UnauthorizedAccessException)
        {
            throw new NuggetsException($"Cannot write {target}: {e.Message}", ExitCodes.OutputError, e);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static void LoadSelection(DuckDbSession session, IReadOnlyList<RowAnnotation> rows)
    {
        session.Execute($"CREATE TEMP TABLE {SelectionTable} (ord BIGINT, row BIGINT, content_hash VARCHAR, " +
                        "golden_score DOUBLE, wins INTEGER, anchors_scored INTEGER, exact INTEGER, wilson_low DOUBLE, wilson_high DOUBLE, outcomes VARCHAR)");
        using var appender = session.CreateAppender(SelectionTable);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            appender.Append((long)i).Append(row.Row).Append(row.ContentHash).Append(row.GoldenScore)
                .Append(row.Wins).Append(row.AnchorsScored).Append(row.ScoreExact ? 1 : 0)
                .Append(row.WilsonLow).Append(row.WilsonHigh).Append(row.Outcomes ?? "").EndRow(); // "": NULL (an outcome string is never empty)
        }
        appender.Flush();
    }

    private static string SelectSql(DatasetPlan plan, bool includeWinCounts)
    {
        // An input column named like an annotation (e.g. re-selecting an earlier output) is replaced, not duplicated. A
        // selection replaces the six names it always did, so its bytes do not depend on this version's score-table columns.
        var replaced = includeWinCounts ? AnnotationColumns : AnnotationColumns[..6];
        var input = NumberedSourceSql.InputColumns(plan)
            .Where(c => !replaced.Contains(c, StringComparer.Ordinal))
            .Select(c => "s." + SqlText.Identifier(c));
        var annotations = includeWinCounts ? AnnotationColumns : AnnotationColumns[..3];
        var columns = input.Concat(annotations.Select(c => c switch
        {
            "score_exact" => "a.exact <> 0 AS score_exact",
            "outcomes" => "NULLIF(a.outcomes, '') AS outcomes",
            _ => "a." + c,
        }));
        return $"SELECT {string.Join(", ", columns)} FROM ({NumberedSourceSql.For(plan)}) AS s " +
               $"JOIN {SelectionTable} AS a ON s.{NumberedSourceSql.RowColumn} = a.row ORDER BY a.ord";
    }
}
