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
}
