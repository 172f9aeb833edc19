namespace Nuggets.Core.Data;

/// <summary>A chat turn.</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>
/// One dataset row, as the scorer sees it: Alpaca-shaped fields, or chat messages (then the last assistant
/// turn is the response). <see cref="Row"/> is the 0-based position over the whole dataset (all files in order).
/// </summary>
public sealed record Example(long Row, string Instruction, string Input, string Output, IReadOnlyList<ChatMessage>? Messages = null)
{
    /// <summary>True when the row is chat-shaped.</summary>
    public bool IsChat => Messages is not null;

    /// <summary>SHA-256 (hex) of the canonical text; equal rows share it, so they are scored once.</summary>
    public string ContentHash => contentHash ??= Data.ContentHash.Of(this);

    private string? contentHash;

    /// <summary>
    /// Value equality over the row and its content, messages compared element by element. Written out because the
    /// compiler's record equality would also compare the lazily cached hash (two equal rows differed once one of
    /// them had been hashed) and would compare the message lists by reference.
    /// </summary>
    public bool Equals(Example? other) =>
        other is not null
        && Row == other.Row
        && Instruction == other.Instruction
        && Input == other.Input
        && Output == other.Output
        && (ReferenceEquals(Messages, other.Messages)
            || (Messages is not null && other.Messages is not null && Messages.SequenceEqual(other.Messages)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Row, Instruction, Input, Output, Messages?.Count);
}
