using System.Reflection;
using Nuggets.Core;

namespace Nuggets.Build.Tasks.Tests;

/// <summary>The pieces the task is made of: output-line parsing, the exit-code table, the response file.</summary>
public class ToolOutputTests
{
    [Test]
    public void ErrorLineNamingAFileSplitsTheFileFromTheMessage()
    {
        var line = ToolOutputLine.Parse("error: /work/data/train.parquet: column 'output' not found (columns: instruction VARCHAR)");
        Assert.That(line.Kind, Is.EqualTo(ToolOutputKind.Error));
        Assert.That(line.File, Is.EqualTo("/work/data/train.parquet"));
        Assert.That(line.Message, Is.EqualTo("column 'output' not found (columns: instruction VARCHAR)"));
    }

    [Test]
    public void RowNumberStaysInTheMessage()
    {
        var line = ToolOutputLine.Parse("error: /d/a.jsonl: row 17 has NULL in 'output'");
        Assert.That(line.File, Is.EqualTo("/d/a.jsonl"));
        Assert.That(line.Message, Does.Contain("row 17"));
    }

    [TestCase("error: Dataset file /d/bad.jsonl has no column 'output' (the output). Its columns are: instruction VARCHAR.", "/d/bad.jsonl")]
    [TestCase("error: Dataset file not found: /d/missing.parquet", "/d/missing.parquet")]
    [TestCase("error: Cannot open score cache /d/.nuggets/cache.duckdb: IO Error", "/d/.nuggets/cache.duckdb")]
    [TestCase("error: Config file '/d/nuggets.config.json' does not exist.", "/d/nuggets.config.json")]
    public void FileNamedInsideTheMessageIsTheFileAndTheMessageStaysWhole(string text, string file)
    {
        var line = ToolOutputLine.Parse(text);
        Assert.That(line.File, Is.EqualTo(file));
        Assert.That("error: " + line.Message, Is.EqualTo(text));
    }

    [TestCase("error: unknown key 'selection.foo': allowed keys are ...")]
    [TestCase("error: No dataset file matches /d/*.parquet")]
    [TestCase("error: settings: 'selection.threshold' is 'x', but must be a number.")]
    [TestCase("error: --set 'a/b.c' must be key=value, e.g. selection.threshold=0.8.")]
    [TestCase("error: Unrecognized command or argument 'b/missing.json'.")]
    [TestCase("error: /: nothing")]
    public void ErrorLineWithoutAnAbsolutePathHasNoFile(string text)
    {
        var line = ToolOutputLine.Parse(text);
        Assert.That(line.Kind, Is.EqualTo(ToolOutputKind.Error));
        Assert.That(line.File, Is.Null, line.Message);
    }

    [Test]
    public void WarningAndProgressLines()
    {
        var warning = ToolOutputLine.Parse("warning: /d/a.parquet: 3 rows longer than 512 tokens skipped");
        Assert.That((warning.Kind, warning.File), Is.EqualTo((ToolOutputKind.Warning, "/d/a.parquet")));
        var progress = ToolOutputLine.Parse("scoring 120/2000 rows   ");
        Assert.That((progress.Kind, progress.File, progress.Message), Is.EqualTo((ToolOutputKind.Message, (string?)null, "scoring 120/2000 rows")));
        // Only the start of a line makes an error: progress that mentions errors stays a message.
        Assert.That(ToolOutputLine.Parse("0 errors so far; error: none").Kind, Is.EqualTo(ToolOutputKind.Message));
    }

    /// <summary>Every named exit code of the tool has its own NUG code; a new exit code without a mapping fails here.</summary>
    [Test]
    public void EveryExitCodeHasItsOwnDiagnosticCode()
    {
        var exitCodes = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);
        Assert.That(exitCodes, Has.Count.GreaterThan(10));
        var failures = exitCodes.Where(e => e.Value != ExitCodes.Success && e.Value != ExitCodes.Unexpected).ToList();
        var codes = failures.Select(e => NuggetsDiagnostics.ForExitCode(e.Value)).ToList();
        Assert.That(codes, Is.Unique, string.Join(", ", failures.Zip(codes, (e, c) => $"{e.Key}={e.Value}->{c}")));
        Assert.That(codes, Has.None.EqualTo(NuggetsDiagnostics.Unexpected));
        Assert.That(codes, Has.All.Match("^NUG1[0-9]{3}$"));

        Assert.That(NuggetsDiagnostics.ForExitCode(ExitCodes.Config), Is.EqualTo("NUG1001"));
        Assert.That(NuggetsDiagnostics.ForExitCode(ExitCodes.NativeRuntime), Is.EqualTo("NUG1002"));
        Assert.That(NuggetsDiagnostics.ForExitCode(ExitCodes.Model), Is.EqualTo("NUG1003"));
        Assert.That(NuggetsDiagnostics.ForExitCode(ExitCodes.MissingColumn), Is.EqualTo("NUG1011"));
        Assert.That(NuggetsDiagnostics.ForExitCode(ExitCodes.CorruptDataset), Is.EqualTo("NUG1014"));
        Assert.That(NuggetsDiagnostics.ForExitCode(ExitCodes.CacheLocked), Is.EqualTo("NUG1020"));
        Assert.That(NuggetsDiagnostics.ForExitCode(ExitCodes.OutputError), Is.EqualTo("NUG1030"));
        Assert.That(NuggetsDiagnostics.ForExitCode(ExitCodes.Unexpected), Is.EqualTo("NUG1099"));
        Assert.That(NuggetsDiagnostics.ForExitCode(77), Is.EqualTo("NUG1099"));
    }

    [Test]
    public void ResponseFileQuotesOnlyWhatNeedsIt()
    {
        var text = ResponseFile.Format(["run", "--dataset", "/data/my data/a.parquet", "--set", "anchors.seed=7", "#not-a-comment"]);
        Assert.That(text, Is.EqualTo("run\n--dataset\n\"/data/my data/a.parquet\"\n--set\nanchors.seed=7\n\"#not-a-comment\"\n"));
    }

    [TestCase("with \"quote\"")]
    [TestCase("two\nlines")]
    [TestCase("")]
    public void ResponseFileRejectsWhatItCannotCarry(string argument) =>
        Assert.Throws<ArgumentException>(() => ResponseFile.Format(["run", argument]));

    /// <summary>The quoting rule is System.CommandLine's: the real tool reads a quoted path with a space as one argument.</summary>
    [Test]
    public void RealToolReadsAQuotedPathWithASpaceAsOneArgument()
    {
        var folder = Path.Combine(TestPaths.NewTempDirectory("rsp"), "with space");
        Directory.CreateDirectory(folder);
        var rsp = Path.Combine(folder, "args.rsp");
        var unknown = Path.Combine(folder, "not-an-option.txt");
        File.WriteAllText(rsp, ResponseFile.Format(["doctor", unknown]));
        var (exitCode, output) = Processes.Run("dotnet", folder, null, Path.Combine(AppContext.BaseDirectory, "dotnet-nuggets.dll"), "@" + rsp);
        // One unexpected token, named whole: split at the space it would be two ("…/with" and "space/…").
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Usage), output);
        Assert.That(output, Does.Contain($"'{unknown}'"));
    }
}
