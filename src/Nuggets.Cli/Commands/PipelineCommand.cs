using System.CommandLine;
using System.Text.Json;
using Nuggets.Cli.Composition;
using Nuggets.Cli.Signals;
using Nuggets.Core;
using Nuggets.Core.Pipeline;
using Nuggets.DuckDb;
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
        var outputDirectory = config.Options.Output.Directory;

        using var stop = new RunStop();
        using var signals = new StopSignals(stop, outputDirectory);
        var pause = TestPause.FromEnvironment(stop.Token);
        try
        {
            // hf:// inputs become files of the Hugging Face cache first (downloaded when missing), so a stop signal
            // interrupts a download like any other phase and the pipeline reads only local files.
            try
            {
                config = HubInputs.Resolve(config, quiet || asJson, stop.Token);
            }
            catch (OperationCanceledException) when (signals.Received)
            {
                NuggetsCli.WriteError($"stopped by {signals.Name} while fetching the Hugging Face Hub inputs; what was downloaded stays in the " +
                    $"Hugging Face cache and a rerun resumes from it. The previous outputs in {outputDirectory} are untouched.");
                return signals.ExitCode;
            }
            // One read of each dataset file for the whole run (README.md, "How datasets are read").
            using var datasets = new DuckDbDatasets();
            var pipeline = new NuggetsPipeline(RealServices.Create(ToolInfo.Version, config.Options.Cache.Path, datasets, stop.Token, pause is null ? null : pause.BeforeCommit));
            var result = ProgressDisplay.Run(quiet, progress => pipeline.Run(config, mode, pause?.Around(progress) ?? progress, stop));
            var reportDue = mode == PipelineMode.Run && result.OutputPath is not null && !parsed.GetValue(options.NoReport);
            // Warnings go to stderr even under --quiet or --json: they ask the user to act (MSBuild shows them as warnings).
            if (result.Warning is { } warning) Console.Error.WriteLine($"warning: {warning}");
            if (signals.Received) return StoppedAfterPublish(signals, outputDirectory, reportDue);
            if (parsed.GetValue(options.DependencyFile) is { } dependencyFile && result.Manifest is { } manifest)
                RunInputs.Write(Path.GetFullPath(dependencyFile), RunInputs.Of(config, manifest));
            if (asJson && result.ManifestPath is not null) Console.WriteLine(File.ReadAllText(result.ManifestPath));
            else if (!quiet) Summary.Print(result, mode);
            if (reportDue) WriteReport(config, quiet || asJson);
            return signals.Received ? StoppedAfterPublish(signals, outputDirectory, reportSkipped: false) : ExitCodes.Success;
        }
        catch (RunStoppedException stopped)
        {
            NuggetsCli.WriteError($"stopped by {signals.Name} during {PhaseName(stopped.Phase)}. {Kept(stopped.Committed)} " +
                $"The previous outputs in {outputDirectory} are untouched.");
            return signals.ExitCode;
        }
        catch (OperationCanceledException) when (signals.Received)
        {
            NuggetsCli.WriteError($"stopped by {signals.Name}; every batch committed to the cache is kept. The previous outputs in {outputDirectory} are untouched.");
            return signals.ExitCode;
        }
    }

    // A signal after the publish point: the outputs are complete, and what is left (the report) is skipped. The exit code
    // still says the run was stopped, so no script mistakes an interrupted run for a finished one.
    private static int StoppedAfterPublish(StopSignals signals, string outputDirectory, bool reportSkipped)
    {
        NuggetsCli.WriteError($"stopped by {signals.Name} after the outputs were published: {outputDirectory} holds this run's complete outputs" +
            (reportSkipped ? $"; {ReportCommand.FileName} was not written (`dotnet nuggets report` writes it)." : "."));
        return signals.ExitCode;
    }

    private static string PhaseName(string phase) => phase == "starting" ? "start-up" : phase;

    private static string Kept(CommittedWork work)
    {
        var parts = new[]
        {
            (work.ZeroShotSums, "zero-shot sum"), (work.Pairs, "pair"), (work.Generations, "stage generation"), (work.Embeddings, "stage embedding"),
        }.Where(p => p.Item1 > 0).Select(p => $"{p.Item1:N0} {p.Item2}{(p.Item1 == 1 ? "" : "s")}").ToArray();
        return parts.Length == 0
            ? "This run had not committed any model work to the cache yet."
            : $"Kept in the cache from this run: {string.Join(", ", parts)}; a rerun reuses them.";
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
