using System.Globalization;
using Nuggets.Bench.Rows;
using Nuggets.Llama;

namespace Nuggets.Bench;

/// <summary>
/// A child process measures one row and writes its <see cref="RowResult"/>. One process per row, so each row's
/// peak RSS (<c>VmHWM</c>) is its own and no row inherits another's caches, heap or warm pages.
/// </summary>
internal static class Child
{
    public static int Run(string specPath, string resultPath)
    {
        var spec = ChildSpec.Read(specPath);
        LlamaRuntime.Initialize();
        var result = spec.Row switch
        {
            "full" or "pruned" or "incremental" or "rerun" => PipelineRow.Run(spec),
            _ when spec.Row.StartsWith("prune-", StringComparison.Ordinal) => PipelineRow.Run(spec),
            "reader" => ReaderRow.Run(spec),
            _ => WithModel(spec),
        };
        result = result with { PeakRssKb = PeakRssKb() };
        File.WriteAllText(resultPath, result.ToJson());
        return 0;
    }

    private static RowResult WithModel(ChildSpec spec)
    {
        using var model = LlamaModel.Load(spec.Model, gpuLayers: 0);
        return (spec.Row.StartsWith("scale-", StringComparison.Ordinal) ? "scale" : spec.Row) switch
        {
            "bound" => BoundRow.Run(spec, model),
            "naive" => NaiveRow.Run(spec, model),
            "reference" => ReferenceRow.Run(spec, model),
            "scale" => ScalingRow.Run(spec, model),
            _ => throw new ArgumentException($"unknown row '{spec.Row}'"),
        };
    }

    /// <summary>The process's peak resident set in kB (Linux <c>/proc/self/status</c>).</summary>
    private static long PeakRssKb() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
            .FirstOrDefault();
}
