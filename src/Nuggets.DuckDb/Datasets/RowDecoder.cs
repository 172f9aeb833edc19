using System.Text.Json;
using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Datasets;

/// <summary>Turns the rows of a fetched chunk into <see cref="Example"/>s, naming the row of any bad value.</summary>
internal abstract class RowDecoder(ResolvedFile file)
{
    /// <summary>The SELECT list this decoder reads, in vector order.</summary>
    public abstract string SelectList { get; }

    /// <summary>Decodes row <paramref name="index"/> of <paramref name="chunk"/>.</summary>
    public abstract Example Decode(DataChunk chunk, int index, long row, long fileRow);

    /// <summary>Called once the result is open, before the first chunk (the chat decoder reads the struct layout).</summary>
    public virtual void Bind(QueryResult result) { }

    public static RowDecoder For(PlannedFile planned, ColumnMapping mapping) =>
        mapping.Messages is { } messages
            ? new ChatRowDecoder(planned.File, messages)
            : new AlpacaRowDecoder(planned, mapping);

    protected NuggetsException Null(string column, long row, long fileRow) =>
        new($"Row {row} ({file.Path}, row {fileRow} of that file) has NULL in column '{column}'; text is required.",
            ExitCodes.NullValue);

    protected NuggetsException NotText(string column, long row, long fileRow, string value) =>
        new($"Row {row} ({file.Path}, row {fileRow} of that file) has a non-string value in column '{column}': " +
            $"{(value.Length > 40 ? value[..40] + "…" : value)}",
            ExitCodes.WrongColumnType);

    /// <summary>A JSON-typed value (DuckDB's JSON alias of VARCHAR) holds JSON text: accept only a JSON string.</summary>
    protected string? JsonString(string json)
    {
        if (json.Length == 0 || json[0] != '"') return null;
        return JsonSerializer.Deserialize<string>(json);
    }
}

/// <summary>Instruction / input / output text columns.</summary>
internal sealed class AlpacaRowDecoder : RowDecoder
{
    private readonly string[] columns;
    private readonly bool[] json;
    private readonly bool nullIsEmpty;

    public AlpacaRowDecoder(PlannedFile planned, ColumnMapping mapping) : base(planned.File)
    {
        columns = [mapping.Instruction, mapping.Input, mapping.Output];
        json = columns.Select(c => planned.Schema.TypeOf(c) == "JSON").ToArray();
        // CSV has no NULL: an empty unquoted field is DuckDB's NULL, but it means "".
        nullIsEmpty = planned.File.Format == DatasetFormat.Csv;
    }

    public override string SelectList => string.Join(", ", columns.Select(SqlText.Identifier));

    public override Example Decode(DataChunk chunk, int index, long row, long fileRow) =>
        new(row, Text(chunk, 0, index, row, fileRow), Text(chunk, 1, index, row, fileRow), Text(chunk, 2, index, row, fileRow));

    private string Text(DataChunk chunk, int column, int index, long row, long fileRow)
    {
        var vector = chunk.Vector(column);
        if (!vector.IsValid(index))
            return nullIsEmpty ? "" : throw Null(columns[column], row, fileRow);
        var value = vector.GetString(index);
        if (!json[column]) return value;
        return JsonString(value) ?? throw NotText(columns[column], row, fileRow, value);
    }
}

/// <summary>A list&lt;struct&lt;role, content&gt;&gt; column.</summary>
internal sealed class ChatRowDecoder(ResolvedFile file, string column) : RowDecoder(file)
{
    private MessagesLayout? layout;

    public override string SelectList => SqlText.Identifier(column);

    public override void Bind(QueryResult result)
    {
        using var type = result.ColumnType(0);
        layout = MessagesLayout.Of(type) ?? throw new InvalidOperationException("messages layout changed after the schema check");
    }

    public override Example Decode(DataChunk chunk, int index, long row, long fileRow)
    {
        var list = chunk.Vector(0);
        if (!list.IsValid(index)) throw Null(column, row, fileRow);
        var entry = list.GetListEntry(index);
        var structs = list.ListChild;
        var roles = structs.StructChild(layout!.RoleField);
        var contents = structs.StructChild(layout.ContentField);
        var messages = new ChatMessage[entry.Length];
        for (var i = 0; i < messages.Length; i++)
        {
            var at = checked((int)entry.Offset + i);
            if (!structs.IsValid(at)) throw Null($"{column}[{i}]", row, fileRow);
            if (!roles.IsValid(at)) throw Null($"{column}[{i}].role", row, fileRow);
            if (!contents.IsValid(at)) throw Null($"{column}[{i}].content", row, fileRow);
            messages[i] = new ChatMessage(roles.GetString(at), contents.GetString(at));
        }
        return new Example(row, "", "", "", messages);
    }
}
