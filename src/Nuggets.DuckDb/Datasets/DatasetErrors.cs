using Nuggets.Core;
using Nuggets.Core.Data;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Datasets;

/// <summary>Turns DuckDB's failures on a dataset file into messages that name the file.</summary>
internal static class DatasetErrors
{
    /// <summary>Runs <paramref name="action"/>, reporting any DuckDB failure as a corrupt or unreadable file.</summary>
    public static T OnFile<T>(ResolvedFile file, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (DuckDbException e)
        {
            throw Corrupt(file, e);
        }
    }

    public static NuggetsException Corrupt(ResolvedFile file, DuckDbException e) =>
        new($"Dataset file {file.Path} is corrupt, truncated or not valid {Describe(file.Format)}: {FirstLine(e.Message)}",
            ExitCodes.CorruptDataset, e);

    private static string Describe(DatasetFormat format) => format switch
    {
        DatasetFormat.Parquet => "Parquet",
        DatasetFormat.JsonLines => "JSON Lines",
        DatasetFormat.Json => "JSON",
        DatasetFormat.Csv => "CSV",
        _ => format.ToString(),
    };

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n');
        return end < 0 ? message : message[..end];
    }
}
