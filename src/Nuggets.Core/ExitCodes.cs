namespace Nuggets.Core;

/// <summary>
/// Named process exit codes of <c>dotnet nuggets</c>, shared by the CLI and the MSBuild task (which maps
/// them to NUG diagnostics). Each failure class has its own code so scripts can tell them apart.
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;
    /// <summary>A bug: an exception nobody expected. The message asks for a report.</summary>
    public const int Unexpected = 1;
    /// <summary>The command line is wrong (unknown option, bad value).</summary>
    public const int Usage = 2;
    /// <summary>The configuration file or a setting is invalid.</summary>
    public const int Config = 3;
    /// <summary>The native runtime (llama.cpp, DuckDB) is missing, damaged or another build.</summary>
    public const int NativeRuntime = 4;
    /// <summary>The model file is missing or cannot be loaded.</summary>
    public const int Model = 5;
    /// <summary>A dataset file does not exist.</summary>
    public const int DatasetNotFound = 10;
    /// <summary>A required column is missing from a dataset.</summary>
    public const int MissingColumn = 11;
    /// <summary>A column has a type that cannot be used (e.g. a number where text is expected).</summary>
    public const int WrongColumnType = 12;
    /// <summary>A row has a NULL where text is required.</summary>
    public const int NullValue = 13;
    /// <summary>A dataset file is corrupt, truncated or not in the format its name says.</summary>
    public const int CorruptDataset = 14;
    /// <summary>A dataset has no rows.</summary>
    public const int EmptyDataset = 15;
    /// <summary>The score cache is in use by another process.</summary>
    public const int CacheLocked = 20;
    /// <summary>The score cache cannot be opened or read.</summary>
    public const int CacheError = 21;
    /// <summary>The output cannot be written.</summary>
    public const int OutputError = 30;
    /// <summary>A Hugging Face Hub repository, revision or file (or a file of the asked quantisation, or a glob's match) does not exist.</summary>
    public const int HubNotFound = 40;
    /// <summary>A Hub repository is gated or private and no token (HF_TOKEN), or one without access, was given.</summary>
    public const int HubAccessDenied = 41;
    /// <summary>The Hub kept answering 429 (too many requests) after bounded retries.</summary>
    public const int HubRateLimited = 42;
    /// <summary>HF_HUB_OFFLINE is set and the Hub input is not in the local cache.</summary>
    public const int HubOffline = 43;
    /// <summary>A Hub download failed: network error, server error, or the file did not match its SHA-256 or size.</summary>
    public const int HubDownload = 44;
    /// <summary>The Hugging Face cache folder cannot be written (disk full, no permission); the partial file was removed.</summary>
    public const int HubCacheWrite = 45;
    /// <summary>Stopped by SIGINT (Ctrl-C) after committing finished work (128 + 2, as a shell reports a SIGINT death).</summary>
    public const int Cancelled = 130;
    /// <summary>
    /// Stopped by SIGTERM (what CI cancellation and <c>kill</c> send) after committing finished work (128 + 15, as a shell
    /// reports a SIGTERM death).
    /// </summary>
    public const int Terminated = 143;
}
