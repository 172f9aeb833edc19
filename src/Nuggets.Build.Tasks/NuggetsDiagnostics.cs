namespace Nuggets.Build.Tasks;

/// <summary>
/// The one table from <c>dotnet-nuggets</c> exit codes (<c>Nuggets.Core.ExitCodes</c>) to MSBuild diagnostic codes.
/// The numbers are mirrored, not referenced: this assembly loads into MSBuild and must not depend on Core.
/// NUG1xxx are errors, NUG2xxx warnings.
/// </summary>
public static class NuggetsDiagnostics
{
    /// <summary>The tool reported a command-line error: the task and the tool are out of step (or an extra argument is wrong).</summary>
    public const string Usage = "NUG1000";
    /// <summary>The configuration file or a setting is invalid.</summary>
    public const string Config = "NUG1001";
    /// <summary>The native runtime (llama.cpp, DuckDB) next to the tool is missing or damaged.</summary>
    public const string NativeRuntime = "NUG1002";
    /// <summary>The model file is missing or cannot be loaded.</summary>
    public const string Model = "NUG1003";
    /// <summary>A dataset file does not exist.</summary>
    public const string DatasetNotFound = "NUG1010";
    /// <summary>A required column is missing from a dataset.</summary>
    public const string MissingColumn = "NUG1011";
    /// <summary>A dataset column has an unusable type.</summary>
    public const string WrongColumnType = "NUG1012";
    /// <summary>A dataset row has a NULL where text is required.</summary>
    public const string NullValue = "NUG1013";
    /// <summary>A dataset file is corrupt, truncated or not in the format its name says.</summary>
    public const string CorruptDataset = "NUG1014";
    /// <summary>A dataset has no rows.</summary>
    public const string EmptyDataset = "NUG1015";
    /// <summary>The score cache is in use by another process.</summary>
    public const string CacheLocked = "NUG1020";
    /// <summary>The score cache cannot be opened or read.</summary>
    public const string CacheError = "NUG1021";
    /// <summary>The selection cannot be written.</summary>
    public const string OutputError = "NUG1030";
    /// <summary>The tool exited successfully but its manifest is missing or unreadable.</summary>
    public const string ManifestMissing = "NUG1031";
    /// <summary>A Hugging Face Hub repository, revision or file does not exist.</summary>
    public const string HubNotFound = "NUG1040";
    /// <summary>A Hub repository is gated or private and no token with access was given (HF_TOKEN).</summary>
    public const string HubAccessDenied = "NUG1041";
    /// <summary>The Hub rate-limited the downloads beyond the bounded retries.</summary>
    public const string HubRateLimited = "NUG1042";
    /// <summary>HF_HUB_OFFLINE is set and a Hub input is not in the local cache.</summary>
    public const string HubOffline = "NUG1043";
    /// <summary>A Hub download failed (network, server, or SHA-256/size mismatch).</summary>
    public const string HubDownload = "NUG1044";
    /// <summary>The Hugging Face cache folder cannot be written (disk full, no permission).</summary>
    public const string HubCacheWrite = "NUG1045";
    /// <summary>The tool was stopped by SIGINT (Ctrl-C); finished scores are kept in the cache.</summary>
    public const string Cancelled = "NUG1090";
    /// <summary>The tool was stopped by SIGTERM (a cancelled build or CI job); finished scores are kept in the cache.</summary>
    public const string Terminated = "NUG1091";
    /// <summary>An unexpected failure of the tool (a bug) or an exit code this task does not know.</summary>
    public const string Unexpected = "NUG1099";
    /// <summary>A <c>warning:</c> line printed by the tool.</summary>
    public const string ToolWarning = "NUG2000";
    /// <summary>Rows were skipped (recorded in the manifest's <c>counts.skipped</c>).</summary>
    public const string SkippedRows = "NUG2001";

    /// <summary>The diagnostic code for a non-zero exit code of <c>dotnet-nuggets</c>.</summary>
    public static string ForExitCode(int exitCode) => exitCode switch
    {
        2 => Usage,
        3 => Config,
        4 => NativeRuntime,
        5 => Model,
        10 => DatasetNotFound,
        11 => MissingColumn,
        12 => WrongColumnType,
        13 => NullValue,
        14 => CorruptDataset,
        15 => EmptyDataset,
        20 => CacheLocked,
        21 => CacheError,
        30 => OutputError,
        40 => HubNotFound,
        41 => HubAccessDenied,
        42 => HubRateLimited,
        43 => HubOffline,
        44 => HubDownload,
        45 => HubCacheWrite,
        130 => Cancelled,
        143 => Terminated,
        _ => Unexpected,
    };
}
