using Nuggets.Core;

namespace Nuggets.DuckDb.Datasets;

/// <summary>
/// Refuses JSON nested deeper than any dataset needs before DuckDB parses it: measured with DuckDB 1.5.6, a value
/// nested 100,000 levels deep makes <c>read_json</c> run for minutes and 1,000,000 levels crash the process (stack
/// overflow), neither of which a user can act on. Fed the file's bytes block by block (by <see cref="FilePass"/>, the
/// same pass that hashes the file), with no allocation per value.
/// </summary>
internal sealed class JsonNestingGuard(string path)
{
    /// <summary>Deepest nesting accepted; real instruction data nests fewer than 10 levels.</summary>
    public const int MaxDepth = 512;

    private int depth;
    private long line = 1;
    private bool inString, escaped;

    /// <summary>Scans the next block of the file.</summary>
    /// <exception cref="NuggetsException">The file nests deeper than <see cref="MaxDepth"/> (exit code CorruptDataset), naming the line.</exception>
    public void Feed(ReadOnlySpan<byte> block)
    {
        foreach (var b in block)
        {
            if (b == (byte)'\n') line++;
            if (inString)
            {
                if (escaped) escaped = false;
                else if (b == (byte)'\\') escaped = true;
                else if (b == (byte)'"') inString = false;
                continue;
            }
            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'[' or (byte)'{':
                    if (++depth > MaxDepth)
                        throw new NuggetsException(
                            $"{path}: line {line} nests JSON deeper than {MaxDepth} levels; this is not instruction data (a damaged or hostile file).",
                            ExitCodes.CorruptDataset);
                    break;
                case (byte)']' or (byte)'}':
                    // Unbalanced closers are DuckDB's to report as malformed JSON.
                    if (depth > 0) depth--;
                    break;
            }
        }
    }
}
