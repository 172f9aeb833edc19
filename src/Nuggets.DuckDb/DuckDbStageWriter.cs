using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.Core.Stages;
using Nuggets.DuckDb.Datasets;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb;

/// <summary>
/// Writes the rows a LIFT stage passes on: the dataset's mapped columns (instruction, input, output under their
/// configured names) and the provenance columns <c>source_row</c>, <c>stage</c>, <c>round</c>, as zstd Parquet
/// written by one thread (byte-identical for identical rows), through a temporary file renamed into place.
/// </summary>
public sealed class DuckDbStageWriter : IStageWriter
{
    private const string Table = "nuggets_stage_rows";

    /// <inheritdoc />
    public void Write(IReadOnlyList<StageRow> rows, ColumnMapping columns, string path)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(columns);
        var target = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.tmp");
        try
        {
            using var session = ReaderSession.Open(threads: 1);
            session.Execute($"CREATE TEMP TABLE {Table} (ord BIGINT, instruction VARCHAR, input VARCHAR, output VARCHAR, " +
                            "source_row BIGINT, stage VARCHAR, round INTEGER)");
            using (var appender = session.CreateAppender(Table))
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    var row = rows[i];
                    appender.Append((long)i).Append(row.Example.Instruction).Append(row.Example.Input).Append(row.Example.Output)
                        .Append(row.SourceRow).Append(row.Stage).Append(row.Round).EndRow();
                }
                appender.Flush();
            }
            var select = $"SELECT instruction AS {SqlText.Identifier(columns.Instruction)}, input AS {SqlText.Identifier(columns.Input)}, " +
                         $"output AS {SqlText.Identifier(columns.Output)}, source_row, stage, round FROM {Table} ORDER BY ord";
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            session.Execute($"COPY ({select}) TO ? (FORMAT parquet, COMPRESSION zstd)", temporary);
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
}
