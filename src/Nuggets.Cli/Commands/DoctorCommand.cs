using System.CommandLine;
using System.Text.Json;
using Nuggets.Core;
using Nuggets.Core.Configuration;
using Nuggets.Core.Cpu;
using Nuggets.DuckDb;
using Nuggets.Llama;
using Nuggets.Native;
using Spectre.Console;

namespace Nuggets.Cli.Commands;

/// <summary>
/// <c>dotnet nuggets doctor</c>: says whether this machine can run the tool — which native files were
/// found and loaded, which llama.cpp build and CPU variant, which GPUs, which DuckDB, and whether the
/// configured model loads — and exits non-zero with the fix when something is wrong.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Config file whose model to try (default: ./nuggets.config.json)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("doctor", "Check the native runtime, GPUs, DuckDB and the configured model.") { config, json };
        command.SetAction(parsed => Run(parsed.GetValue(config), parsed.GetValue(json)));
        return command;
    }

    private static int Run(string? configPath, bool asJson)
    {
        var report = new DoctorReport { ToolVersion = ToolInfo.Version, NativeDirectory = NativeLibraryLoader.NativeDirectory };
        var exitCode = ExitCodes.Success;

        report.NativeFiles = NativeFileCheck.Check(report.NativeDirectory)
            .Select(f => new DoctorReport.NativeFile(f.FileName, f.Status.ToString().ToLowerInvariant()))
            .ToList();
        try
        {
            var llama = LlamaRuntime.Initialize();
            report.LlamaBuild = llama.Version;
            report.CpuVariant = llama.CpuVariant;
            report.Backends = llama.Backends.ToList();
            report.Gpus = llama.Gpus.Select(g => $"{g.Name}: {g.Description} ({g.TotalBytes / (1024 * 1024)} MiB)").ToList();
            report.DuckDbVersion = DuckDbRuntime.Initialize();
        }
        catch (NativeRuntimeException error)
        {
            report.Problems.Add(error.Message);
            exitCode = error.ExitCode;
        }
        report.LoadAttempts = NativeLibraryLoader.AttemptLog.ToList();

        if (exitCode == ExitCodes.Success) exitCode = CheckModel(configPath, report);
        var threadsExit = CheckThreads(configPath, report);
        if (exitCode == ExitCodes.Success) exitCode = threadsExit;

        if (asJson) Console.WriteLine(JsonSerializer.Serialize(report, DoctorJson.Default.DoctorReport));
        else Print(report);
        return exitCode;
    }

    private static int CheckModel(string? configPath, DoctorReport report)
    {
        var config = ConfigFile.Resolve(configPath);
        if (config is null)
        {
            report.Model = $"not checked: no {ConfigFile.DefaultName} here (pass --config)";
            return ExitCodes.Success;
        }
        var modelPath = ReadModelPath(config);
        if (HubPath.IsHub(modelPath))
        {
            // Doctor never downloads (a model can be many gigabytes): it checks a Hub model only once a run has cached it.
            if (CachedHubModel(modelPath) is not { } cached)
            {
                report.Model = $"not checked: {modelPath} is not in the Hugging Face cache yet (a run downloads it)";
                return ExitCodes.Success;
            }
            modelPath = cached;
        }
        try
        {
            using var model = LlamaModel.Load(modelPath, gpuLayers: 0);
            report.Model = $"{modelPath}: loads ({model.Description}, {model.ParameterCount:N0} parameters)";
            return ExitCodes.Success;
        }
        catch (NuggetsException error)
        {
            report.Model = $"{modelPath}: does not load";
            report.Problems.Add(error.Message);
            return error.ExitCode;
        }
    }

    /// <summary>
    /// The thread count a run would choose now, and why. <c>model.threads</c> comes from its environment variable or
    /// the config file (doctor does not need the rest of the configuration to be complete); unset is <c>auto</c>.
    /// </summary>
    private static int CheckThreads(string? configPath, DoctorReport report)
    {
        var variable = ConfigLoader.EnvironmentPrefix + "MODEL__THREADS";
        string? source = null, text = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(text)) source = variable;
        else if (ConfigFile.Resolve(configPath) is { } config && ConfigFile.ReadValue(config, "model", "threads") is { } value) (source, text) = (config, value);

        if (source is not null && !ThreadCount.TryParse(text, out _))
        {
            report.ThreadsReason = "not chosen: model.threads is invalid";
            report.Problems.Add($"{source}: 'model.threads' is '{text}', but must be {ThreadCount.Allowed}.");
            return ExitCodes.Config;
        }
        ThreadCount.TryParse(text ?? "auto", out var setting);
        var choice = ThreadPolicy.Choose(setting);
        (report.Threads, report.ThreadsReason) = (choice.Threads, choice.Reason);
        return ExitCodes.Success;
    }

    private static string? CachedHubModel(string uri)
    {
        var settings = Nuggets.Hub.HubSettings.FromEnvironment(Environment.GetEnvironmentVariable) with { Offline = true };
        using var resolver = new Nuggets.Hub.HubResolver(settings);
        try
        {
            return resolver.ResolveAsync(uri, "model.path").GetAwaiter().GetResult().LocalPaths[0];
        }
        catch (NuggetsException error) when (error.ExitCode == ExitCodes.HubOffline)
        {
            return null;
        }
    }

    // Doctor needs only model.path; the rest of the file need not be complete for it.
    private static string ReadModelPath(string configPath) =>
        ConfigFile.ReadPath(configPath, "model", "path") ?? throw new NuggetsException($"{configPath}: model.path is not set.", ExitCodes.Config);

    private static void Print(DoctorReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("check").AddColumn("result");
        table.AddRow("tool version", Markup.Escape(report.ToolVersion));
        table.AddRow("native folder", Markup.Escape(report.NativeDirectory));
        table.AddRow("native files", Markup.Escape(string.Join("\n", report.NativeFiles.Select(f => $"{f.Status,-10} {f.File}"))));
        table.AddRow("load attempts", Markup.Escape(string.Join("\n", report.LoadAttempts)));
        table.AddRow("llama.cpp build", Markup.Escape(report.LlamaBuild ?? "not loaded"));
        table.AddRow("CPU backend variant", Markup.Escape(report.CpuVariant ?? "not loaded"));
        table.AddRow("backends", Markup.Escape(string.Join(", ", report.Backends)));
        table.AddRow("GPU devices", Markup.Escape(report.Gpus.Count == 0 ? "none" : string.Join("\n", report.Gpus)));
        table.AddRow("DuckDB", Markup.Escape(report.DuckDbVersion ?? "not loaded"));
        table.AddRow("model", Markup.Escape(report.Model ?? "not checked"));
        table.AddRow("compute threads", Markup.Escape(report.Threads is { } n ? $"{n} ({report.ThreadsReason})" : report.ThreadsReason ?? "not chosen"));
        AnsiConsole.Write(table);
        foreach (var problem in report.Problems) NuggetsCli.WriteError(problem);
    }
}
