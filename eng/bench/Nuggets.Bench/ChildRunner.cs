using System.Diagnostics;

namespace Nuggets.Bench;

/// <summary>Starts this program as <c>child</c> for one row and reads back what it measured.</summary>
internal sealed class ChildRunner(string work)
{
    private int count;

    public RowResult Run(ChildSpec spec)
    {
        var id = Interlocked.Increment(ref count);
        var specPath = Path.Combine(work, $"spec-{id}-{spec.Row}.json");
        var resultPath = Path.ChangeExtension(specPath, ".result.json");
        spec.Write(specPath);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nuggets.Bench.dll"));
        start.ArgumentList.Add("child");
        start.ArgumentList.Add(specPath);
        start.ArgumentList.Add(resultPath);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var seconds = watch.Elapsed.TotalSeconds;
        if (process.ExitCode != 0 || !File.Exists(resultPath))
            throw new InvalidOperationException($"row '{spec.Row}' failed (exit {process.ExitCode}):\n{output.Result}{error.Result}");
        var result = RowResult.FromJson(File.ReadAllText(resultPath));
        result.ProcessSeconds = seconds;
        return result;
    }
}
