using System.CommandLine;
using System.Text.Json;
using Nuggets.Core;
using Nuggets.Core.Pipeline;
using Spectre.Console;

namespace Nuggets.Cli.Commands;

/// <summary><c>run</c>, <c>score</c>, <c>select</c>, <c>anchors</c>: one pipeline, four products.</summary>
internal static class PipelineCommand
{
    public static Command Create(string name, PipelineMode mode, string description)
    {
        var options = new CommonOptions();
        var command = new Command(name, description);
        options.AddTo(command, mode);
        if (mode == PipelineMode.Run) command.Options.Add(options.NoReport);
        command.SetAction(parsed => Run(parsed, options, mode));
        return command;
    }

    private static int Run(ParseResult parsed, CommonOptions options, PipelineMode mode)
    {
        var config = options.Load(parsed, mode);
        var quiet = parsed.GetValue(options.Quiet);
        var asJson = parsed.GetValue(options.Json);

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // Stop after the batch in flight is committed, instead of dying mid-write.
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var pipeline = new NuggetsPipeline(RealServices.Create(ToolInfo.Version, config.Options.Cache.Path));
            var result = ProgressDisplay.Run(quiet, progress => pipeline.Run(config, mode, progress, cancellation.Token));
            if (asJson && result.ManifestPath is not null) Console.WriteLine(File.ReadAllText(result.ManifestPath));
            else if (!quiet) Summary.Print(result, mode);
            if (mode == PipelineMode.Run && result.OutputPath is not null && !parsed.GetValue(options.NoReport))
                WriteReport(config, quiet || asJson);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            NuggetsCli.WriteError("stopped; every finished batch is in the cache, so a rerun continues where this one stopped.");
            return ExitCodes.Cancelled;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    // The selection is written and valid whatever happens here, so a report that cannot be written is a warning.
    private static void WriteReport(Core.Configuration.LoadedConfig config, bool quiet)
    {
        try
        {
            var columns = config.Options.Dataset.Columns;
            var path = ReportCommand.Write(config.Options.Output.Directory, new Core.Data.ColumnMapping(columns.Instruction, columns.Input, columns.Output, columns.Messages));
            if (!quiet) Console.WriteLine($"report: {path}");
        }
        catch (Exception e) when (e is NuggetsException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: report.html not written: {e.Message}");
        }
    }
}
