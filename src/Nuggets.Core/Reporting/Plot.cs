using System.Globalization;
using System.Text;

namespace Nuggets.Core.Reporting;

/// <summary>Plot geometry and number formatting shared by the report's inline SVG charts.</summary>
internal sealed class Plot(double width, double height, double left, double right, double top, double bottom)
{
    public double Width => width;
    public double Height => height;
    public double InnerLeft => left;
    public double InnerRight => width - right;
    public double InnerTop => top;
    public double InnerBottom => height - bottom;

    /// <summary>x of a value in [0, 1].</summary>
    public double X(double unit) => left + unit * (width - left - right);

    /// <summary>y of a value in [0, max].</summary>
    public double Y(double value, double max) => InnerBottom - (max <= 0 ? 0 : value / max) * (InnerBottom - top);

    /// <summary>An SVG coordinate or length, to two decimals at most.</summary>
    public static string Coordinate(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A "nice" axis maximum and tick step for counts up to <paramref name="max"/>.</summary>
    public static (long Max, long Step) CountAxis(long max)
    {
        if (max <= 0) return (1, 1);
        var rough = Math.Max(1, max / 4.0);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = (long)Math.Max(1, new[] { 1, 2, 5, 10 }.Select(f => f * magnitude).First(s => s >= rough));
        return ((max + step - 1) / step * step, step);
    }

    /// <summary>Gridlines and labels of the count axis, and the 0–1 score axis with ticks every 0.1.</summary>
    public void Axes(StringBuilder svg, long axisMax, long step, string xLabel, string yLabel)
    {
        for (long v = 0; v <= axisMax; v += step)
        {
            var y = Coordinate(Y(v, axisMax));
            svg.Append($"<line class=\"grid\" x1=\"{Coordinate(InnerLeft)}\" x2=\"{Coordinate(InnerRight)}\" y1=\"{y}\" y2=\"{y}\"/>");
            svg.Append($"<text class=\"tick\" x=\"{Coordinate(InnerLeft - 6)}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{v.ToString("N0", CultureInfo.InvariantCulture)}</text>");
        }
        for (var i = 0; i <= 10; i++)
        {
            var x = Coordinate(X(i / 10.0));
            svg.Append($"<line class=\"axis\" x1=\"{x}\" x2=\"{x}\" y1=\"{Coordinate(InnerBottom)}\" y2=\"{Coordinate(InnerBottom + 4)}\"/>");
            svg.Append($"<text class=\"tick\" x=\"{x}\" y=\"{Coordinate(InnerBottom + 16)}\" text-anchor=\"middle\">{(i / 10.0).ToString("0.0", CultureInfo.InvariantCulture)}</text>");
        }
        svg.Append($"<line class=\"axis\" x1=\"{Coordinate(InnerLeft)}\" x2=\"{Coordinate(InnerRight)}\" y1=\"{Coordinate(InnerBottom)}\" y2=\"{Coordinate(InnerBottom)}\"/>");
        svg.Append($"<text class=\"label\" x=\"{Coordinate((InnerLeft + InnerRight) / 2)}\" y=\"{Coordinate(Height - 4)}\" text-anchor=\"middle\">{xLabel}</text>");
        svg.Append($"<text class=\"label\" transform=\"translate(14 {Coordinate((InnerTop + InnerBottom) / 2)}) rotate(-90)\" text-anchor=\"middle\">{yLabel}</text>");
    }

    /// <summary>A dashed vertical marker at score <paramref name="at"/> with a label.</summary>
    public void Marker(StringBuilder svg, double at, string label, string id)
    {
        var x = Coordinate(X(Math.Clamp(at, 0, 1)));
        var anchor = at > 0.7 ? "end" : "start";
        var dx = at > 0.7 ? -5 : 5;
        svg.Append($"<g id=\"{id}\" data-value=\"{Coordinate(at)}\"><line class=\"marker\" x1=\"{x}\" x2=\"{x}\" y1=\"{Coordinate(InnerTop - 4)}\" y2=\"{Coordinate(InnerBottom)}\"/>");
        svg.Append($"<text class=\"marker-label\" x=\"{x}\" dx=\"{dx}\" y=\"{Coordinate(InnerTop + 8)}\" text-anchor=\"{anchor}\">{label}</text></g>");
    }
}
