using System.Text.Json.Serialization;

namespace Nuggets.Cli.Commands;

/// <summary>What <c>doctor</c> found; printed as a table or as JSON (<c>--json</c>).</summary>
internal sealed class DoctorReport
{
    public required string ToolVersion { get; init; }
    public required string NativeDirectory { get; init; }
    public List<NativeFile> NativeFiles { get; set; } = [];
    public List<string> LoadAttempts { get; set; } = [];
    public string? LlamaBuild { get; set; }
    public string? CpuVariant { get; set; }
    public List<string> Backends { get; set; } = [];
    public List<string> Gpus { get; set; } = [];
    public string? DuckDbVersion { get; set; }
    public string? Model { get; set; }
    /// <summary>Compute threads a run would use now (<c>model.threads</c>, <c>auto</c> read from this machine).</summary>
    public int? Threads { get; set; }
    /// <summary>Why that many: the rule and, for <c>auto</c>, the CPUs allowed, the quota and the load.</summary>
    public string? ThreadsReason { get; set; }
    public List<string> Problems { get; } = [];

    public sealed record NativeFile(string File, string Status);
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DoctorReport))]
internal sealed partial class DoctorJson : JsonSerializerContext;
