using Nuggets.Core.Configuration;
using Nuggets.Core.Data;

namespace Nuggets.Core.Output;

/// <summary>
/// The files a run writes into its output folder. One list, so the pipeline, the commands that read an output
/// folder and the check that outputs never overwrite inputs agree on the names.
/// </summary>
/// <param name="Directory">The output folder (absolute).</param>
/// <param name="Format">The format of the row files.</param>
public sealed record OutputLayout(string Directory, OutputFormat Format)
{
    /// <summary>File extension of the row files.</summary>
    public string Extension => ExtensionOf(Format);
    /// <summary>The selected rows.</summary>
    public string Selected => Path.Combine(Directory, "selected." + Extension);
    /// <summary>Every scored row with its wins (written by <c>run</c> and <c>score</c>).</summary>
    public string Scores => Path.Combine(Directory, "scores." + Extension);
    /// <summary>The anchor rows.</summary>
    public string Anchors => Path.Combine(Directory, "anchors." + Extension);
    /// <summary>The run's manifest.</summary>
    public string Manifest => Path.Combine(Directory, ManifestFileName);
    /// <summary>The HTML report.</summary>
    public string Report => Path.Combine(Directory, ReportFileName);

    /// <summary>File name of the manifest in any output folder.</summary>
    public const string ManifestFileName = "manifest.json";
    /// <summary>File name of the report in any output folder.</summary>
    public const string ReportFileName = "report.html";

    /// <summary>Every file a run may write here.</summary>
    public IReadOnlyList<string> Files => [Selected, Scores, Anchors, Manifest, Report];

    /// <summary>The first existing row file named <paramref name="stem"/> (<c>selected</c>, <c>scores</c>) in either format, or null.</summary>
    public static string? FindRowFile(string directory, string stem) =>
        Enum.GetValues<OutputFormat>().Select(f => Path.Combine(directory, $"{stem}.{ExtensionOf(f)}")).FirstOrDefault(File.Exists);

    // A row file's extension is its format's spelling in output.format (parquet, jsonl), as README.md promises.
    private static string ExtensionOf(OutputFormat format) => Spelling.Of(format);
}
