using System.Text;
using static Nuggets.Bench.Report.Measurements;

namespace Nuggets.Bench.Report;

/// <summary>
/// Pairs/s of the product's engine as N and M grow tenfold. Cost linear in N·M shows as flat pairs/s; the small
/// rise from the base point is the candidate prefix, decoded once per candidate and spread over more anchors.
/// </summary>
internal static class ScalingReport
{
    public static IReadOnlyList<(int N, int M, double Seconds, double PairsPerSecond)> Points(Measurements m)
    {
        var model = m.Models[0];
        return m.ScalingPoints.Select(p =>
        {
            var row = $"scale-{p.N}x{p.M}";
            return (p.N, p.M, m.Median(model, r => r[row].Seconds), m.Median(model, r => r[row].Pairs / r[row].Seconds));
        }).ToList();
    }

    public static void Render(StringBuilder s, Measurements m, string? svgName)
    {
        var points = Points(m);
        var basePps = points[0].PairsPerSecond;
        s.AppendLine();
        s.AppendLine($"### Scaling ({m.Models[0].Name}, the product's scoring engine, all pairs)");
        s.AppendLine();
        s.AppendLine("| N candidates | M anchors | pairs | seconds | pairs/s | vs first line |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var (n, mm, seconds, pps) in points)
            s.AppendLine($"| {n} | {mm} | {n * mm:N0} | {MarkdownReport.Number(seconds, "F1")} | {MarkdownReport.Number(pps, "N1")} | {MarkdownReport.Number(pps / basePps, "F2")}× |");
        s.AppendLine();
        if (svgName is not null) s.AppendLine($"![pairs/s as N and M grow]({svgName})");
    }

    /// <summary>A small hand-written SVG: pairs/s against pairs (log scale), one line for N × 10, one for M × 10.</summary>
    public static string Svg(Measurements m)
    {
        var p = Points(m);
        const double width = 480, height = 260, left = 60, right = 20, top = 30, bottom = 50;
        var maxPairs = p.Max(x => x.N * x.M);
        var minPairs = p.Min(x => x.N * x.M);
        var maxY = p.Max(x => x.PairsPerSecond) * 1.25;
        double X(double pairs) => left + (Math.Log10(pairs) - Math.Log10(minPairs)) / Math.Max(1e-9, Math.Log10(maxPairs) - Math.Log10(minPairs)) * (width - left - right);
        double Y(double pps) => top + (1 - pps / maxY) * (height - top - bottom);
        string Pt(int i) => $"{X(p[i].N * p[i].M):F1},{Y(p[i].PairsPerSecond):F1}";
        var s = new StringBuilder();
        s.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">");
        s.AppendLine($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        s.AppendLine($"<text x=\"{left}\" y=\"18\" font-size=\"13\">pairs/s as N and M grow ×10 ({m.Models[0].Name}, {m.Facts.Started:yyyy-MM-dd})</text>");
        s.AppendLine($"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"black\"/>");
        s.AppendLine($"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"black\"/>");
        foreach (var frac in new[] { 0.0, 0.25, 0.5, 0.75, 1.0 })
        {
            var v = maxY * frac;
            s.AppendLine($"<line x1=\"{left - 4}\" y1=\"{Y(v):F1}\" x2=\"{width - right}\" y2=\"{Y(v):F1}\" stroke=\"#ddd\"/>");
            s.AppendLine($"<text x=\"{left - 6}\" y=\"{Y(v) + 4:F1}\" text-anchor=\"end\">{v:F1}</text>");
        }
        foreach (var x in p.Select(x => x.N * x.M).Distinct())
            s.AppendLine($"<text x=\"{X(x):F1}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{x:N0}</text>");
        s.AppendLine($"<text x=\"{(left + width - right) / 2}\" y=\"{height - 10}\" text-anchor=\"middle\">pairs scored (N × M, log scale)</text>");
        s.AppendLine($"<text x=\"14\" y=\"{(top + height - bottom) / 2}\" transform=\"rotate(-90 14 {(top + height - bottom) / 2})\" text-anchor=\"middle\">pairs/s</text>");
        s.AppendLine($"<polyline points=\"{Pt(0)} {Pt(1)}\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>");
        s.AppendLine($"<polyline points=\"{Pt(0)} {Pt(2)}\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>");
        for (var i = 0; i < p.Count; i++)
            s.AppendLine($"<circle cx=\"{X(p[i].N * p[i].M):F1}\" cy=\"{Y(p[i].PairsPerSecond):F1}\" r=\"3.5\"/><text x=\"{X(p[i].N * p[i].M) - (i == 0 ? -6 : 150):F1}\" y=\"{Y(p[i].PairsPerSecond) + (i == 2 ? 16 : -6):F1}\">N={p[i].N}, M={p[i].M}: {p[i].PairsPerSecond:F1}</text>");
        s.AppendLine($"<text x=\"{left + 10}\" y=\"{height - bottom - 26}\" fill=\"#1f77b4\">— N × 10 (M = {p[1].M})</text>");
        s.AppendLine($"<text x=\"{left + 10}\" y=\"{height - bottom - 12}\" fill=\"#d62728\">- - M × 10 (N = {p[2].N})</text>");
        s.AppendLine("</svg>");
        return s.ToString();
    }
}
