using System.CommandLine;
using Nuggets.Cli.Commands;
using Nuggets.Core;
using Nuggets.Core.Pipeline;

namespace Nuggets.Cli;

/// <summary>Builds the command tree and turns failures into a message and a named exit code.</summary>
public static class NuggetsCli
{
    /// <summary>Runs the tool with <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("Select the most valuable instruction-tuning examples with the Nuggets method, scored locally through llama.cpp.");
        root.Subcommands.Add(PipelineCommand.Create("run", PipelineMode.Run, "Run the whole pipeline: anchors, scores (cached, pruned when exact), selection and manifest."));
        root.Subcommands.Add(PipelineCommand.Create("score", PipelineMode.Score, "Score every row against every anchor (exact; --prune stops at certain threshold decisions); writes scores.parquet with golden_score, wins, anchors_scored and score_exact per row."));
        root.Subcommands.Add(PipelineCommand.Create("select", PipelineMode.Select, "Select from cached scores only (no model work); fails when scores are missing."));
        root.Subcommands.Add(PipelineCommand.Create("anchors", PipelineMode.Anchors, "Build the anchor set and write it (anchors.parquet)."));
        root.Subcommands.Add(CacheCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(StabilityCommand.Create());

        try
        {
            var parsed = root.Parse(args);
            // Our handler, not System.CommandLine's: user errors print one line without a stack trace.
            return parsed.Errors.Count > 0 ? ReportUsageErrors(parsed) : parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (NuggetsException error)
        {
            WriteError(error.Message);
            return error.ExitCode;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            WriteError($"unexpected {error.GetType().Name}: {error.Message} (this is a bug; please report it with the command line" +
                (Environment.GetEnvironmentVariable("NUGGETS_DEBUG") == "1" ? $")\n{error}" : " and NUGGETS_DEBUG=1 output)"));
            return ExitCodes.Unexpected;
        }
    }

    /// <summary>
    /// Writes an error the user can act on to stderr: one unwrapped line, no stack trace, so CI logs and the
    /// MSBuild task can match it.
    /// </summary>
    internal static void WriteError(string message) => Console.Error.WriteLine($"error: {message}");

    private static int ReportUsageErrors(ParseResult parsed)
    {
        foreach (var error in parsed.Errors) WriteError(error.Message);
        Console.Error.WriteLine("Run 'dotnet nuggets --help' for usage.");
        return ExitCodes.Usage;
    }
}
