using System.Collections;
using Microsoft.Build.Framework;

namespace Nuggets.Build.Tasks.Tests;

/// <summary>Collects what a task logs, for task-level tests without a whole build.</summary>
internal sealed class FakeBuildEngine : IBuildEngine
{
    public List<BuildErrorEventArgs> Errors { get; } = [];
    public List<BuildWarningEventArgs> Warnings { get; } = [];
    public List<BuildMessageEventArgs> Messages { get; } = [];

    public bool ContinueOnError => false;
    public int LineNumberOfTaskNode => 0;
    public int ColumnNumberOfTaskNode => 0;
    public string ProjectFileOfTaskNode => "test.proj";

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);
    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);
    public void LogMessageEvent(BuildMessageEventArgs e)
    {
        Messages.Add(e);
        MessageLogged?.Invoke(e.Message ?? "");
    }

    /// <summary>Called with every message as the task logs it (on the task's thread), e.g. to cancel the task at a given line.</summary>
    public Action<string>? MessageLogged { get; set; }
    public void LogCustomEvent(CustomBuildEventArgs e) { }

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException();

    public string Describe() =>
        string.Join("\n", Errors.Select(e => $"error {e.Code} {e.File}: {e.Message}")
            .Concat(Warnings.Select(w => $"warning {w.Code} {w.File}: {w.Message}"))
            .Concat(Messages.Select(m => $"message [{m.Importance}] {m.Message}")));
}
