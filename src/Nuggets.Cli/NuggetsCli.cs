using System.CommandLine;
using Nuggets.Cli.Commands;
using Nuggets.Core;
using Spectre.Console;

namespace Nuggets.Cli;

/// <summary>Builds the command tree and turns failures into a message and a named exit code.</summary>
public static class NuggetsCli
{
    /// <summary>Runs the tool with <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("Select the most valuable instruction-tuning examples with the Nuggets method, scored locally through llama.cpp.");
        root.Subcommands.Add(DoctorCommand.Create());

        try
        {
            var parsed = root.Parse(args);
            return parsed.Errors.Count > 0 ? ReportUsageErrors(parsed) : parsed.Invoke();
        }
        catch (NuggetsException error)
        {
            WriteError(error.Message);
            return error.ExitCode;
        }
    }

    private static readonly IAnsiConsole ErrorConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Writes an error the user can act on to stderr: the message, no stack trace.</summary>
    internal static void WriteError(string message) =>
        ErrorConsole.MarkupLineInterpolated($"[red]error:[/] {message}");

    private static int ReportUsageErrors(ParseResult parsed)
    {
        foreach (var error in parsed.Errors) WriteError(error.Message);
        Console.Error.WriteLine("Run 'dotnet nuggets --help' for usage.");
        return ExitCodes.Usage;
    }
}
