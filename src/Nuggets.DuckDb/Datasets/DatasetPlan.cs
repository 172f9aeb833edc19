using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Datasets;

/// <summary>A dataset file with its schema, checked against the column mapping.</summary>
internal sealed record PlannedFile(ResolvedFile File, FileSchema Schema);

/// <summary>
/// The files of a dataset, each inspected and checked against the column mapping before any row is read, so a
/// schema problem fails fast and before anything is written.
/// </summary>
internal sealed record DatasetPlan(DatasetSource Source, IReadOnlyList<PlannedFile> Files)
{
    /// <summary>Column types accepted for a text field: VARCHAR, or JSON (checked per row to be a JSON string).</summary>
    public static readonly string[] TextTypes = ["VARCHAR", "JSON"];

    /// <exception cref="NuggetsException">Missing file, corrupt file, missing column, wrong type, and (when
    /// <paramref name="countRows"/>) an empty dataset.</exception>
    public static DatasetPlan Build(DatasetSource source, DuckDbSession session, bool countRows)
    {
        var files = new List<PlannedFile>();
        foreach (var file in DatasetFiles.Resolve(source, session))
        {
            if (file.Format is DatasetFormat.JsonLines or DatasetFormat.Json) JsonNestingGuard.Check(file.Path);
            var schema = DatasetErrors.OnFile(file, () => FileSchema.Inspect(session, file, countRows));
            if (schema.Columns.Count > 0) Check(source.Columns, file, schema, session);
            files.Add(new PlannedFile(file, schema));
        }
        if (countRows && files.Sum(f => f.Schema.Rows) == 0)
            throw Empty(files.Select(f => f.File.Path));
        return new DatasetPlan(source, files);
    }

    public static NuggetsException Empty(IEnumerable<string> paths) =>
        new($"The dataset has no rows: {string.Join(", ", paths)}", ExitCodes.EmptyDataset);

    private static void Check(ColumnMapping mapping, ResolvedFile file, FileSchema schema, DuckDbSession session)
    {
        if (mapping.Messages is { } messages)
        {
            Require(file, schema, messages, "the chat messages");
            var layout = DatasetErrors.OnFile(file, () =>
            {
                using var result = session.Query($"SELECT {SqlText.Identifier(messages)} FROM {ScanSql.For(file)} LIMIT 0");
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
