using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Datasets;

/// <summary>
/// A dataset file as the run read it: its schema, its SHA-256 and stamp from the one .NET pass, and the table in the
/// dataset session holding its rows (null for a zero-byte text file) with their row number in the file.
/// </summary>
internal sealed record PlannedFile(ResolvedFile File, FileSchema Schema, string Sha256, FileStamp Stamp, string? Table);

/// <summary>
/// The files of a dataset, each read exactly twice — one .NET pass that hashes it, notes a UTF-8 byte order mark and
/// guards JSON nesting, one DuckDB pass that copies its rows, numbered, into a table — and checked against the column
/// mapping before any row is used.
/// Every later step (description, anchors, scoring scans, output writes) reads the tables, never the file
/// (README.md, "How datasets are read"). DuckDB keeps the tables in memory up to its memory limit and spills the rest
/// to its temporary directory, so a large dataset does not grow the process without bound.
/// </summary>
internal sealed record DatasetPlan(DatasetSource Source, IReadOnlyList<PlannedFile> Files)
{
    /// <summary>Column types accepted for a text field: VARCHAR, or JSON (checked per row to be a JSON string).</summary>
    public static readonly string[] TextTypes = ["VARCHAR", "JSON"];

    /// <summary>Reads every file of <paramref name="source"/> into tables named <paramref name="tablePrefix"/>_0, _1, …</summary>
    /// <exception cref="NuggetsException">Missing file, corrupt file, JSON nested too deep, a file that changed while
    /// it was read, missing column, wrong type, an empty dataset.</exception>
    public static DatasetPlan Build(DatasetSource source, DuckDbSession session, string tablePrefix)
    {
        var files = new List<PlannedFile>();
        foreach (var file in DatasetFiles.Resolve(source, session))
        {
            var stamp = FileStamp.Of(file.Path);
            var pass = FilePass.HashAndGuard(file);
            string? table = null;
            var schema = FileSchema.None;
            // A text file with no bytes (or nothing after its byte order mark) is an empty dataset, not a corrupt one;
            // DuckDB cannot infer a schema from it and would report a made-up column instead.
            var textLength = stamp.Length - (pass.ByteOrderMark ? FilePass.Utf8ByteOrderMark.Length : 0);
            if (file.Format == DatasetFormat.Parquet || textLength > 0)
            {
                table = $"{tablePrefix}_{files.Count}";
                var name = table;
                schema = DatasetErrors.OnFile(file, () =>
                {
                    session.Execute($"CREATE TABLE {SqlText.Identifier(name)} AS {NumberedSourceSql.Copy(file, pass.ByteOrderMark)}", file.Path);
                    return FileSchema.OfTable(session, name);
                });
            }
            // The hash and the copied rows come from two reads; an unchanged stamp says they read the same bytes.
            if (FileStamp.Of(file.Path) != stamp) throw Changed(file.Path, "while it was being read");
            var planned = new PlannedFile(file, schema, pass.Sha256, stamp, table);
            if (schema.Columns.Count > 0) Check(source.Columns, planned, session);
            files.Add(planned);
        }
        if (files.Sum(f => f.Schema.Rows) == 0)
            throw Empty(files.Select(f => f.File.Path));
        return new DatasetPlan(source, files);
    }

    /// <summary>
    /// Fails when any file's stamp differs from when it was read: outputs are written from the copied rows, and a
    /// manifest naming a file's hash must not describe a file that is no longer there.
    /// </summary>
    /// <exception cref="NuggetsException">A file changed (CorruptDataset).</exception>
    public void EnsureUnchanged()
    {
        foreach (var file in Files)
        {
            if (!File.Exists(file.File.Path) || FileStamp.Of(file.File.Path) != file.Stamp)
                throw Changed(file.File.Path, "during the run, after it was read");
        }
    }

    private static NuggetsException Changed(string path, string when) =>
        new($"Dataset file {path} changed {when}; nothing was written. Run again once the file is no longer being modified.",
            ExitCodes.CorruptDataset);

    public static NuggetsException Empty(IEnumerable<string> paths) =>
        new($"The dataset has no rows: {string.Join(", ", paths)}", ExitCodes.EmptyDataset);

    private static void Check(ColumnMapping mapping, PlannedFile planned, DuckDbSession session)
    {
        var (file, schema) = (planned.File, planned.Schema);
        if (mapping.Messages is { } messages)
        {
            Require(file, schema, messages, "the chat messages");
            var layout = DatasetErrors.OnFile(file, () =>
            {
                using var result = session.Query($"SELECT {SqlText.Identifier(messages)} FROM {SqlText.Identifier(planned.Table!)} LIMIT 0");
                using var type = result.ColumnType(0);
                return MessagesLayout.Of(type);
            });
            if (layout is null)
                throw new NuggetsException(
                    $"Column '{messages}' in {file.Path} has type {schema.TypeOf(messages)}; chat messages need a list of " +
                    "structs with text fields role and content (STRUCT(role VARCHAR, content VARCHAR)[]).",
                    ExitCodes.WrongColumnType);
            return;
        }
        foreach (var (column, role) in new[] { (mapping.Instruction, "instruction"), (mapping.Input, "input"), (mapping.Output, "output") })
        {
            Require(file, schema, column, $"the {role}");
            var type = schema.TypeOf(column);
            if (!TextTypes.Contains(type, StringComparer.Ordinal))
                throw new NuggetsException(
                    $"Column '{column}' in {file.Path} has type {type}; {role} must be text (VARCHAR).",
                    ExitCodes.WrongColumnType);
        }
    }

    private static void Require(ResolvedFile file, FileSchema schema, string column, string what)
    {
        if (schema.Has(column)) return;
        throw new NuggetsException(
            $"Dataset file {file.Path} has no column '{column}' ({what}). Its columns are: " +
            $"{schema.Describe()}. Map the columns in the configuration.",
            ExitCodes.MissingColumn);
    }
}
