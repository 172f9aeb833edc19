using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Nuggets.Build.Tasks;

/// <summary>
/// Runs <c>dotnet-nuggets run</c> out of process (like Grpc.Tools runs protoc), so llama.cpp and DuckDB never load
/// into an MSBuild node. Arguments go through a response file; every <c>error: …</c> line of the tool becomes an
/// MSBuild error whose code comes from the tool's exit code (<see cref="NuggetsDiagnostics"/>) and whose File is the
/// file the line names; skipped rows recorded in the manifest become warnings.
/// </summary>
public sealed partial class NuggetsSelect : ToolTask
{
    private const int SigTerm = 15;

    private readonly List<ToolOutputLine> _errorLines = [];

    // The running tool, for Cancel (which MSBuild calls on another thread): its process id, a flag set when it says it
    // is stopping, and an event set once ExecuteTool is done with it.
    private volatile int _toolPid;
    private volatile bool _toolStopping;
    private ManualResetEventSlim _toolDone = new(initialState: true);

    /// <summary>The CLI: <c>dotnet-nuggets.dll</c> (run with <c>dotnet</c>) or an executable (an apphost or a wrapper script).</summary>
    [Required]
    public string ToolAssembly { get; set; } = "";

    /// <summary>The <c>dotnet</c> host that runs <see cref="ToolAssembly"/>; default: the one running this build.</summary>
    public string? DotnetHostPath { get; set; }

    /// <summary>Folder the tool runs in and that relative paths are resolved against (the project's folder).</summary>
    [Required]
    public string ProjectDirectory { get; set; } = "";

    /// <summary><c>nuggets.config.json</c>; the other parameters override its settings.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>Dataset files, read in order as one table; replace the config file's <c>dataset.paths</c> when given.</summary>
    public ITaskItem[] Datasets { get; set; } = [];

    /// <summary>GGUF scoring model.</summary>
    public string? Model { get; set; }

    /// <summary><c>random:N</c>, <c>kmeans:K</c> or the path of an anchor file.</summary>
    public string? Anchors { get; set; }

    /// <summary>Keep golden score &gt; this (threshold mode).</summary>
    public string? Threshold { get; set; }

    /// <summary>Keep the best N.</summary>
    public string? Top { get; set; }

    /// <summary>Keep the best P percent.</summary>
    public string? TopPercent { get; set; }

    /// <summary>Folder of <c>selected.*</c>, <c>anchors.parquet</c> and <c>manifest.json</c>.</summary>
    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary><c>parquet</c> (default) or <c>jsonl</c>; decides the selection file's name, which MSBuild must know.</summary>
    public string OutputFormat { get; set; } = "parquet";

    /// <summary>Score cache file; default: the tool's (<c>.nuggets/cache.duckdb</c> beside the config file).</summary>
    public string? CachePath { get; set; }

    /// <summary>CPU threads for llama.cpp: <c>auto</c> or a number; default: the tool's (<c>auto</c>).</summary>
    public string? Threads { get; set; }

    /// <summary>
    /// Where the tool writes the files the run read (config, datasets, model, anchor file, stage models), one per line;
    /// the targets read it back as Inputs of the next build, so datasets named only in the config file are seen.
    /// </summary>
    public string? DependencyFile { get; set; }

    /// <summary>Any other setting, as <c>--set key=value</c>: the item is the key (<c>scoring.anchorMaxTokens</c>), metadata <c>Value</c> the value.</summary>
    public ITaskItem[] Settings { get; set; } = [];

    /// <summary>Log the tool's progress lines at this importance (default <c>low</c>).</summary>
    public string? ProgressImportance { get; set; }

    /// <summary>
    /// Milliseconds a cancelled build gives the tool, after sending it SIGTERM, to commit its finished work and exit on
    /// its own before it is killed (default 30000).
    /// </summary>
    public int StopTimeout { get; set; } = 30_000;

    /// <summary>The selection file, with metadata <c>Manifest</c>, <c>Format</c>, <c>Selected</c> and <c>Candidates</c>.</summary>
    [Output]
    public ITaskItem[] SelectedFiles { get; private set; } = [];

    /// <summary>The manifest written beside the selection.</summary>
    [Output]
    public string? ManifestFile { get; private set; }

    /// <inheritdoc />
    protected override string ToolName => "dotnet";

    private bool RunsWithDotnet => ToolAssembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    private string FullOutputDirectory => Path.GetFullPath(OutputDirectory, ProjectDirectory);

    private string SelectionPath => Path.Combine(FullOutputDirectory, "selected." + OutputFormat.ToLowerInvariant());

    /// <inheritdoc />
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Low;

    /// <inheritdoc />
    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Low;

    /// <inheritdoc />
    protected override Encoding StandardOutputEncoding => Encoding.UTF8;

    /// <inheritdoc />
    protected override Encoding StandardErrorEncoding => Encoding.UTF8;

    /// <summary>UTF-8 without a byte-order mark: the BOM would otherwise be part of the first argument.</summary>
    protected override Encoding ResponseFileEncoding { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!base.Execute()) return false;
        return ReportManifest();
    }

    /// <inheritdoc />
    protected override bool ValidateParameters()
    {
        var modes = new[] { ("NuggetsThreshold", Threshold), ("NuggetsTop", Top), ("NuggetsTopPercent", TopPercent) }
            .Where(m => !string.IsNullOrWhiteSpace(m.Item2)).Select(m => m.Item1).ToList();
        if (modes.Count > 1)
        {
            Log.LogError(null, NuggetsDiagnostics.Config, null, ConfigFile, 0, 0, 0, 0,
                $"Set only one of NuggetsThreshold, NuggetsTop and NuggetsTopPercent (got {string.Join(", ", modes)}).");
        }
        if (OutputFormat is not ("parquet" or "jsonl"))
        {
            Log.LogError(null, NuggetsDiagnostics.Config, null, null, 0, 0, 0, 0,
                $"NuggetsOutputFormat must be 'parquet' or 'jsonl', not '{OutputFormat}'.");
        }
        if (!File.Exists(ToolAssembly))
        {
            Log.LogError(null, NuggetsDiagnostics.NativeRuntime, null, null, 0, 0, 0, 0,
                $"The Nuggets tool was not found at '{ToolAssembly}'. Set NuggetsToolPath (or the NUGGETS_TOOL environment variable) to dotnet-nuggets.dll.");
        }
        try
        {
            _ = ResponseFile.Format(BuildArguments());
        }
        catch (ArgumentException error)
        {
            Log.LogError(null, NuggetsDiagnostics.Config, null, null, 0, 0, 0, 0, error.Message);
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>The arguments of <c>dotnet-nuggets</c>, in order, every path absolute.</summary>
    internal IReadOnlyList<string> BuildArguments()
    {
        // hf:// models and datasets are Hub paths the tool resolves into the Hugging Face cache, not project files.
        string Full(string path) => path.StartsWith("hf://", StringComparison.Ordinal) ? path : Path.GetFullPath(path, ProjectDirectory);
        var args = new List<string> { "run" };
        if (!string.IsNullOrWhiteSpace(ConfigFile)) args.AddRange(["--config", Full(ConfigFile!)]);
        foreach (var dataset in Datasets) args.AddRange(["--dataset", Full(dataset.ItemSpec)]);
        if (!string.IsNullOrWhiteSpace(Model)) args.AddRange(["--model", Full(Model!)]);
        if (!string.IsNullOrWhiteSpace(Anchors)) args.AddRange(["--anchors", IsAnchorMethod(Anchors!) ? Anchors!.Trim() : Full(Anchors!)]);
        if (!string.IsNullOrWhiteSpace(Threshold)) args.AddRange(["--threshold", Threshold!.Trim()]);
        if (!string.IsNullOrWhiteSpace(Top)) args.AddRange(["--top", Top!.Trim()]);
        if (!string.IsNullOrWhiteSpace(TopPercent)) args.AddRange(["--top-percent", TopPercent!.Trim()]);
        args.AddRange(["--output", FullOutputDirectory]);
        args.AddRange(["--set", $"output.format={OutputFormat.ToLowerInvariant()}"]);
        if (!string.IsNullOrWhiteSpace(CachePath)) args.AddRange(["--cache", Full(CachePath!)]);
        if (!string.IsNullOrWhiteSpace(Threads)) args.AddRange(["--threads", Threads!.Trim()]);
        if (!string.IsNullOrWhiteSpace(DependencyFile)) args.AddRange(["--dependency-file", Full(DependencyFile!)]);
        foreach (var setting in Settings)
        {
            var value = setting.GetMetadata("Value");
            args.AddRange(["--set", value.Length == 0 && setting.ItemSpec.Contains('=') ? setting.ItemSpec : $"{setting.ItemSpec}={value}"]);
        }
        return args;
    }

    /// <summary>True for <c>random:N</c> and <c>kmeans:K</c>; anything else is an anchor file.</summary>
    public static bool IsAnchorMethod(string anchors)
    {
        var value = anchors.Trim();
        return value.StartsWith("random:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("kmeans:", StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    protected override string GenerateFullPathToTool()
    {
        if (!RunsWithDotnet) return Path.GetFullPath(ToolAssembly);
        if (!string.IsNullOrEmpty(DotnetHostPath)) return DotnetHostPath!;
        // The dotnet CLI tells MSBuild (and its tasks) which host runs the build; use that one, not whatever is on PATH.
        var fromHost = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromHost) && File.Exists(fromHost)) return fromHost;
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet") return process;
        return ToolName;
    }

    /// <inheritdoc />
    protected override string GenerateCommandLineCommands() => RunsWithDotnet ? Quote(Path.GetFullPath(ToolAssembly)) : "";

    /// <inheritdoc />
    protected override string GenerateResponseFileCommands() => ResponseFile.Format(BuildArguments());

    /// <inheritdoc />
    protected override string? GetWorkingDirectory() => ProjectDirectory;

    /// <summary>The arguments are already right for this OS; don't let ToolTask turn backslashes in values into slashes.</summary>
    protected override string AdjustCommandsForOperatingSystem(string input) => input;

    /// <inheritdoc />
    protected override ProcessStartInfo GetProcessStartInfo(string pathToTool, string commandLineCommands, string responseFileSwitch)
    {
        var start = base.GetProcessStartInfo(pathToTool, commandLineCommands, responseFileSwitch);
        // Plain text: no ANSI colours or live progress bars in a build log.
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    /// <inheritdoc />
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        var line = ToolOutputLine.Parse(singleLine);
        switch (line.Kind)
        {
            case ToolOutputKind.Error:
                // The code depends on the exit code, known only once the tool has exited.
                _errorLines.Add(line);
                break;
            case ToolOutputKind.Warning:
                Log.LogWarning(null, NuggetsDiagnostics.ToolWarning, null, line.File, 0, 0, 0, 0, line.Message);
                break;
            default:
                if (line.Message.Length > 0) Log.LogMessage(ProgressImportanceToUse, line.Message);
                break;
        }
    }

    private MessageImportance ProgressImportanceToUse =>
        Enum.TryParse<MessageImportance>(ProgressImportance, ignoreCase: true, out var importance) ? importance : MessageImportance.Low;

    /// <inheritdoc />
    protected override Process StartToolProcess(Process proc)
    {
        ArgumentNullException.ThrowIfNull(proc);
        // Subscribed before ToolTask starts reading stderr, so no line is missed.
        proc.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("nuggets: SIG", StringComparison.Ordinal) && line.Contains("stopping", StringComparison.Ordinal))
                _toolStopping = true;
        };
        var started = base.StartToolProcess(proc);
        _toolPid = started.Id;
        return started;
    }

    /// <summary>
    /// Stops the tool as a user would: SIGTERM, so it commits its finished work, leaves the previous outputs as they were
    /// and exits (143, reported as NUG1091); only if it has not exited after <see cref="StopTimeout"/> does ToolTask kill
    /// it. No signal is sent once the tool said it is stopping (a terminal's Ctrl-C reaches it directly), since a second
    /// one would make it exit at once.
    /// </summary>
    public override void Cancel()
    {
        var done = _toolDone;
        var pid = _toolPid;
        // No pid yet (not started): kill(0) would signal the whole process group, MSBuild included.
        if (done.IsSet || pid <= 0 || OperatingSystem.IsWindows())
        {
            base.Cancel();
            return;
        }
        if (!_toolStopping) _ = Kill(pid, SigTerm); // it may have exited meanwhile: then there is nothing to stop
        var timeout = StopTimeout;
        _ = System.Threading.Tasks.Task.Run(() =>
        {
            if (!done.Wait(timeout)) CancelNow();
        });
    }

    private void CancelNow() => base.Cancel();

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    /// <inheritdoc />
    protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
    {
        _errorLines.Clear();
        _toolStopping = false;
        _toolPid = 0;
        _toolDone = new ManualResetEventSlim();
        int exitCode;
        try
        {
            exitCode = base.ExecuteTool(pathToTool, responseFileCommands, commandLineCommands);
        }
        finally
        {
            _toolPid = 0;
            _toolDone.Set();
        }
        var code = NuggetsDiagnostics.ForExitCode(exitCode);
        foreach (var line in _errorLines)
        {
            Log.LogError(null, code, null, line.File, 0, 0, 0, 0, line.Message);
        }
        return exitCode == 0 && _errorLines.Count > 0 ? -1 : exitCode;
    }

    /// <inheritdoc />
    protected override bool HandleTaskExecutionErrors()
    {
        if (_errorLines.Count == 0)
        {
            // The tool died without its one-line error (a crash, a kill, a runtime that would not start), or a stop signal
            // ended it before it could say anything (128 + the signal number, as for any process a signal ends).
            Log.LogError(null, NuggetsDiagnostics.ForExitCode(ExitCode), null, null, 0, 0, 0, 0, ExitCode is 130 or 143
                ? $"dotnet-nuggets was stopped by {(ExitCode == 130 ? "SIGINT" : "SIGTERM")} (exit code {ExitCode}); the scores it had committed are kept in its cache, and the next build continues from them."
                : $"dotnet-nuggets exited with code {ExitCode} without an error message; its output is in the build log (detailed verbosity).");
        }
        return false;
    }

    /// <summary>Reads manifest.json: skipped rows become a warning, counts a summary line, the selection the task's output.</summary>
    private bool ReportManifest()
    {
        var manifestPath = Path.Combine(FullOutputDirectory, "manifest.json");
        ManifestSummary summary;
        try
        {
            summary = ManifestSummary.Read(manifestPath);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException)
        {
            Log.LogError(null, NuggetsDiagnostics.ManifestMissing, null, manifestPath, 0, 0, 0, 0,
                $"dotnet-nuggets succeeded but its manifest cannot be read: {error.Message}");
            return false;
        }

        if (summary.Skipped > 0)
        {
            var reasons = summary.SkippedReasons.Count == 0
                ? ""
                : " (" + string.Join(", ", summary.SkippedReasons.Select(r => $"{r.Key}: {r.Value.ToString(CultureInfo.InvariantCulture)}")) + ")";
            Log.LogWarning(null, NuggetsDiagnostics.SkippedRows, null, manifestPath, 0, 0, 0, 0,
                $"{summary.Skipped} row(s) were skipped and not scored{reasons}; see counts.skippedReasons in the manifest.");
        }

        var selection = summary.OutputPath is { } written ? Path.GetFullPath(written, FullOutputDirectory) : SelectionPath;
        var item = new TaskItem(selection);
        item.SetMetadata("Manifest", manifestPath);
        item.SetMetadata("Format", OutputFormat.ToLowerInvariant());
        item.SetMetadata("Selected", summary.Selected.ToString(CultureInfo.InvariantCulture));
        item.SetMetadata("Candidates", summary.Candidates.ToString(CultureInfo.InvariantCulture));
        SelectedFiles = [item];
        ManifestFile = manifestPath;
        Log.LogMessage(MessageImportance.High,
            $"Nuggets: selected {summary.Selected} of {summary.Candidates} candidates ({summary.PairsDecoded} pairs scored, {summary.PairsFromCache} from cache) -> {selection}");
        return true;
    }

    private static string Quote(string path) => path.Contains(' ') ? $"\"{path}\"" : path;
}
