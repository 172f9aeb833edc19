using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.DuckDb.Datasets;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Reports;

/// <summary>
/// Reads a score table (<c>scores.parquet</c>: every scored row with <c>golden_score</c>, <c>row</c>,
/// <c>content_hash</c>, <c>wins</c>, <c>anchors_scored</c>, and from this version on <c>wilson_low</c>,
/// <c>wilson_high</c>, <c>outcomes</c>, which earlier tables lack and are read without), a selection (<c>selected.parquet</c>, without the win
/// counts) or an anchors file, in Parquet or JSON Lines, with a short text preview of each row. Sorting, grouping and
/// shortening happen in DuckDB, so a table of millions of rows is never loaded whole. It returns plain rows
/// (<see cref="ScoreTableRow"/>, <see cref="ScoreTableLevel"/>); the report model is built from them by the CLI.
/// </summary>
public sealed class ScoreTableReader : IDisposable
{
    private const string Row = "row", Score = "golden_score", Hash = "content_hash", Wins = "wins", AnchorsScored = "anchors_scored";
    private const string WilsonLow = "wilson_low", WilsonHigh = "wilson_high", OutcomesColumn = "outcomes";

    private readonly DuckDbSession session;
    // The table function over the file; its path is the first parameter (?) of every query, bound to Path.
    private readonly string scan;
    private readonly string promptSql;
    private readonly string responseSql;

    private ScoreTableReader(DuckDbSession session, string path, string scan, HashSet<string> columns, ColumnMapping mapping, int previewChars)
    {
        this.session = session;
        this.scan = scan;
        Path = path;
        HasScores = columns.Contains(Score) && columns.Contains(Row) && columns.Contains(Hash);
        HasWinCounts = columns.Contains(Wins) && columns.Contains(AnchorsScored);
        HasRowColumn = columns.Contains(Row);
        HasWilson = HasWinCounts && columns.Contains(WilsonLow) && columns.Contains(WilsonHigh);
        HasOutcomes = HasScores && HasWinCounts && columns.Contains(OutcomesColumn);
        (promptSql, responseSql) = TextSql(columns, mapping, previewChars);
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>True when the file has <c>golden_score</c>, <c>row</c> and <c>content_hash</c>.</summary>
    public bool HasScores { get; }

    /// <summary>True when the file also has <c>wins</c> and <c>anchors_scored</c> (a score table).</summary>
    public bool HasWinCounts { get; }

    /// <summary>True when the file also has <c>wilson_low</c> and <c>wilson_high</c> (score tables of this version on; optional).</summary>
    public bool HasWilson { get; }

    /// <summary>True when the file is a score table with an <c>outcomes</c> column (score tables of this version on; optional).</summary>
    public bool HasOutcomes { get; }

    /// <summary>True when the file has a <c>row</c> column (outputs of the tool do).</summary>
    public bool HasRowColumn { get; }

    /// <summary>Opens <paramref name="path"/> (.parquet, or .jsonl/.ndjson).</summary>
    /// <param name="path">The table.</param>
    /// <param name="mapping">Which columns hold the text (default: Alpaca's, or a <c>messages</c> column when present).</param>
    /// <param name="previewChars">How many characters of prompt and response to keep.</param>
    /// <exception cref="NuggetsException">The file is missing or DuckDB cannot read it.</exception>
    public static ScoreTableReader Open(string path, ColumnMapping? mapping = null, int previewChars = 400)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(previewChars, 1);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new NuggetsException($"{full} does not exist.", ExitCodes.DatasetNotFound);
        var lower = full.ToLowerInvariant();
        var scan = lower.EndsWith(".jsonl", StringComparison.Ordinal) || lower.EndsWith(".ndjson", StringComparison.Ordinal)
            ? "read_json(?, format = 'newline_delimited')"
            : "read_parquet(?)";
        var session = ReaderSession.Open();
        try
        {
            var columns = new HashSet<string>(StringComparer.Ordinal);
            using (var describe = session.Query($"DESCRIBE SELECT * FROM {scan}", full))
            {
                while (describe.Next() is { } chunk)
                {
                    using (chunk)
                    {
                        for (var i = 0; i < chunk.Size; i++)
                            columns.Add(chunk.Vector(0).GetString(i));
                    }
                }
            }
            return new ScoreTableReader(session, full, scan, columns, mapping ?? ColumnMapping.Alpaca, previewChars);
        }
        catch (DuckDbException e)
        {
            session.Dispose();
            throw new NuggetsException($"Cannot read {full}: {e.Message}", ExitCodes.CorruptDataset, e);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Rows in the table.</summary>
    public long Count() => Guard(() => session.ScalarInt64($"SELECT count(*) FROM {scan}", Path));

    /// <summary>The rows grouped by (golden score, wins, anchors scored), ascending by score.</summary>
    public IReadOnlyList<ScoreTableLevel> Levels()
    {
        RequireScores();
        var winColumns = HasWinCounts ? $"CAST({Wins} AS INTEGER), CAST({AnchorsScored} AS INTEGER)" : "NULL::INTEGER, NULL::INTEGER";
        var sql = $"SELECT CAST({Score} AS DOUBLE) AS s, {winColumns}, count(*) FROM {scan} GROUP BY ALL ORDER BY s, 2, 3";
        return Guard(() =>
        {
            var levels = new List<ScoreTableLevel>();
            using var result = session.Query(sql, Path);
            while (result.Next() is { } chunk)
            {
                using (chunk)
                {
                    for (var i = 0; i < chunk.Size; i++)
                        levels.Add(new ScoreTableLevel(chunk.Vector(0).GetDouble(i), NullableInt(chunk.Vector(1), i), NullableInt(chunk.Vector(2), i), chunk.Vector(3).GetInt64(i)));
                }
            }
            return levels;
        });
    }

    /// <summary>The <paramref name="count"/> best rows: golden score descending, then row ascending (the selection's ranking).</summary>
    public IReadOnlyList<ScoreTableRow> Top(int count) => Examples($"ORDER BY {Score} DESC, {Row} ASC LIMIT {Limit(count)}");

    /// <summary>The <paramref name="count"/> worst rows: golden score ascending, then row ascending.</summary>
    public IReadOnlyList<ScoreTableRow> Bottom(int count) => Examples($"ORDER BY {Score} ASC, {Row} ASC LIMIT {Limit(count)}");

    /// <summary>Every row, in row order.</summary>
    public IReadOnlyList<ScoreTableRow> All() => Examples($"ORDER BY {Row}");

    /// <summary>The row with dataset row number <paramref name="row"/>, or null when the table does not hold it.</summary>
    public ScoreTableRow? Find(long row) => Examples($"WHERE {Row} = ? LIMIT 1", row).SingleOrDefault();

    /// <summary>
    /// Every row's <c>row</c>, <c>wins</c>, <c>anchors_scored</c> and <c>outcomes</c> (NULL read as null), in row order:
    /// what the stability estimate needs, without the text columns.
    /// </summary>
    /// <exception cref="NuggetsException">The table has no <c>outcomes</c> column (a score table of an earlier version,
    /// or a selection): <see cref="ExitCodes.MissingColumn"/>, naming the file.</exception>
    public IReadOnlyList<ScoreTableOutcomes> Outcomes()
    {
        RequireScores();
        if (!HasOutcomes)
            throw new NuggetsException($"{Path} has no outcomes column (with wins and anchors_scored); it was written by an earlier version or is not a score table. " +
                                       "Run `dotnet nuggets run` or `select` again to write a score table with per-anchor outcomes.", ExitCodes.MissingColumn);
        var sql = $"SELECT CAST({Row} AS BIGINT), CAST({Wins} AS INTEGER), CAST({AnchorsScored} AS INTEGER), CAST({OutcomesColumn} AS VARCHAR) FROM {scan} ORDER BY 1";
        return Guard(() =>
        {
            var rows = new List<ScoreTableOutcomes>();
            using var result = session.Query(sql, Path);
            while (result.Next() is { } chunk)
            {
                using (chunk)
                {
                    for (var i = 0; i < chunk.Size; i++)
                    {
                        rows.Add(new ScoreTableOutcomes(chunk.Vector(0).GetInt64(i), chunk.Vector(1).GetInt32(i), chunk.Vector(2).GetInt32(i),
                            chunk.Vector(3).IsValid(i) ? chunk.Vector(3).GetString(i) : null));
                    }
                }
            }
            return rows;
        });
    }

    /// <summary>The lowest golden score in the table, or null when it is empty.</summary>
    public double? LowestScore()
    {
        RequireScores();
        return Guard(() =>
        {
            using var result = session.Query($"SELECT min(CAST({Score} AS DOUBLE)) FROM {scan}", Path);
            using var chunk = result.Next();
            return chunk is null || !chunk.Vector(0).IsValid(0) ? (double?)null : chunk.Vector(0).GetDouble(0);
        });
    }

    /// <summary>
    /// A one-line text of each row by its <c>row</c> column (or by position when there is none), for anchors files.
    /// </summary>
    public IReadOnlyDictionary<long, string> Previews()
    {
        var key = HasRowColumn ? $"CAST({Row} AS BIGINT)" : "CAST(row_number() OVER () - 1 AS BIGINT)";
        return Guard(() =>
        {
            var previews = new Dictionary<long, string>();
            using var result = session.Query($"SELECT {key}, {promptSql} FROM {scan}", Path);
            while (result.Next() is { } chunk)
            {
                using (chunk)
                {
                    for (var i = 0; i < chunk.Size; i++)
                        previews[chunk.Vector(0).GetInt64(i)] = Text(chunk.Vector(1), i);
                }
            }
            return previews;
        });
    }

    /// <inheritdoc />
    public void Dispose() => session.Dispose();

    private IReadOnlyList<ScoreTableRow> Examples(string tail, params object[] parameters)
    {
        RequireScores();
        var winColumns = HasWinCounts ? $"CAST({Wins} AS INTEGER), CAST({AnchorsScored} AS INTEGER)" : "NULL::INTEGER, NULL::INTEGER";
        var wilsonColumns = HasWilson ? $"CAST({WilsonLow} AS DOUBLE), CAST({WilsonHigh} AS DOUBLE)" : "NULL::DOUBLE, NULL::DOUBLE";
        var sql = $"SELECT CAST({Row} AS BIGINT), CAST({Hash} AS VARCHAR), CAST({Score} AS DOUBLE), {winColumns}, {promptSql}, {responseSql}, {wilsonColumns} FROM {scan} {tail}";
        return Guard(() =>
        {
            var rows = new List<ScoreTableRow>();
            using var result = session.Query(sql, [Path, .. parameters]);
            while (result.Next() is { } chunk)
            {
                using (chunk)
                {
                    for (var i = 0; i < chunk.Size; i++)
                    {
                        rows.Add(new ScoreTableRow(chunk.Vector(0).GetInt64(i), chunk.Vector(1).GetString(i), chunk.Vector(2).GetDouble(i),
                            NullableInt(chunk.Vector(3), i), NullableInt(chunk.Vector(4), i), Text(chunk.Vector(5), i), Text(chunk.Vector(6), i),
                            NullableDouble(chunk.Vector(7), i), NullableDouble(chunk.Vector(8), i)));
                    }
                }
            }
            return rows;
        });
    }

    /// <summary>SQL for the prompt and response previews of a row, from whichever text columns the table has.</summary>
    private static (string Prompt, string Response) TextSql(HashSet<string> columns, ColumnMapping mapping, int chars)
    {
        string Clip(string expression) => $"left(CAST({expression} AS VARCHAR), {chars})";
        var messages = mapping.Messages ?? (columns.Contains("messages") && !columns.Contains(mapping.Instruction) ? "messages" : null);
        if (messages is not null && columns.Contains(messages))
        {
            var m = SqlText.Identifier(messages);
            // Every message but the last is the prompt ("role: content" lines); the last one's content is the response.
            return (Clip($"array_to_string(list_transform({m}[1:len({m}) - 1], x -> x.role || ': ' || x.content), chr(10))"),
                    Clip($"{m}[len({m})].content"));
        }
        var response = columns.Contains(mapping.Output) ? Clip(SqlText.Identifier(mapping.Output)) : "NULL::VARCHAR";
        var prompt = new[] { mapping.Instruction, mapping.Input }.Where(columns.Contains).Select(SqlText.Identifier).ToList();
        return prompt.Count == 0
            ? ("NULL::VARCHAR", response)
            : (Clip($"concat_ws(chr(10) || chr(10), {string.Join(", ", prompt.Select(c => $"NULLIF(CAST({c} AS VARCHAR), '')"))})"), response);
    }

    private void RequireScores()
    {
        if (!HasScores)
            throw new NuggetsException($"{Path} has no golden_score, row and content_hash columns; it is not a score table or selection written by nuggets.", ExitCodes.MissingColumn);
    }

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (DuckDbException e)
        {
            throw new NuggetsException($"Cannot read {Path}: {e.Message}", ExitCodes.CorruptDataset, e);
        }
    }

    private static int? NullableInt(VectorView vector, int row) => vector.IsValid(row) ? vector.GetInt32(row) : null;

    private static double? NullableDouble(VectorView vector, int row) => vector.IsValid(row) ? vector.GetDouble(row) : null;

    private static string Text(VectorView vector, int row) => vector.IsValid(row) ? vector.GetString(row) : "";

    private static int Limit(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return count;
    }
}
