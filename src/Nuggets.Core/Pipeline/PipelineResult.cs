using Nuggets.Core.Anchors;

namespace Nuggets.Core.Pipeline;

/// <summary>What a run produced.</summary>
/// <param name="Anchors">The anchor set used.</param>
/// <param name="Rows">Every dataset row's outcome, in row order.</param>
/// <param name="Selected">The selected rows (run/select), or null.</param>
/// <param name="OutputPath">The selection or score table written, or null (shard runs).</param>
/// <param name="ManifestPath">manifest.json, or null (anchors only).</param>
public sealed record PipelineResult(AnchorSet Anchors, IReadOnlyList<RowScore> Rows, IReadOnlyList<RowScore>? Selected, string? OutputPath, string? ManifestPath)
{
    /// <summary>The manifest written, when one was.</summary>
    public Manifest? Manifest { get; init; }

    /// <summary>The compute threads the run started with and why (with the load figures the manifest leaves out).</summary>
    public Cpu.ThreadChoice? Threads { get; init; }

    /// <summary>The anchor lock file and what the run did with it; null when anchors are not pinned.</summary>
    public ManifestAnchorLock? AnchorLock { get; init; }

    /// <summary>Something the user should act on (printed as a <c>warning:</c> line), or null.</summary>
    public string? Warning { get; init; }

    /// <summary>The counts the run went through when <c>auto</c> followed the load; null when nothing followed it.</summary>
    public Cpu.ThreadRange? ThreadRange { get; init; }
}
