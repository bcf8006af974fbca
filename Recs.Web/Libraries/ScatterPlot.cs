using System.Globalization;
using System.Text;

namespace Recs.Web.Libraries;

/// <summary>
/// The library scatter as SVG geometry in a fixed <see cref="Width"/>×<see cref="Height"/> view box: ticks on both
/// axes and one path per cluster whose dots are zero-length segments drawn with round caps. One path per cluster keeps a
/// Blazor circuit's render tree to a few frames however many points are drawn, and no point carries an event handler
/// (a charting library's circle per point with hover handlers cost a circuit hundreds of kilobytes; ADR-180).
/// </summary>
public sealed class ScatterPlot
{
    public const double Width = 800, Height = 380;
    public const double Left = 64, Right = Width - 16, Top = 12, Bottom = Height - 28;

    private readonly int _x, _y;

    private ScatterPlot(int x, int y, IReadOnlyList<Tick> xTicks, IReadOnlyList<Tick> yTicks, string xTitle, string yTitle, IReadOnlyList<Drawn> series, int pointCount)
    {
        _x = x;
        _y = y;
        XTicks = xTicks;
        YTicks = yTicks;
        XTitle = xTitle;
        YTitle = yTitle;
        Series = series;
        PointCount = pointCount;
    }

    /// <summary>A tick: its position in the view box and its label.</summary>
    public readonly record struct Tick(double At, string Label);

    /// <summary>One cluster's dots as an SVG path, in its colour.</summary>
    public sealed record Drawn(int ClusterId, string Name, string Colour, string Path, int Count);

    public IReadOnlyList<Tick> XTicks { get; }
    public IReadOnlyList<Tick> YTicks { get; }
    public string XTitle { get; }
    public string YTitle { get; }
    public IReadOnlyList<Drawn> Series { get; }
    public int PointCount { get; }

    /// <summary>The features across and up when the library page opens (tempo, energy).</summary>
    public static readonly (int X, int Y) DefaultAxes = (0, 1);

    // Tabs showing the same cached points share one drawing (the series lists come from LibraryClustering.Scatter).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<ScatterSeries>, ScatterPlot> Drawings = [];

    /// <summary>
    /// <see cref="Draw"/>, memoised per series list: every tab of a listener gets the same list from the clustering's
    /// cache, and so the same drawing. Dies with the list.
    /// </summary>
    public static ScatterPlot? For(IReadOnlyList<ScatterSeries> series, int x, int y)
    {
        if (Drawings.TryGetValue(series, out var plot) && plot._x == x && plot._y == y)
        {
            return plot;
        }

        plot = Draw(series, x, y);
        if (plot is not null)
        {
            Drawings.AddOrUpdate(series, plot);
        }

        return plot;
    }

    /// <summary>The plot of <paramref name="series"/> on features <paramref name="x"/> across and <paramref name="y"/> up; null when there is no point.</summary>
    public static ScatterPlot? Draw(IReadOnlyList<ScatterSeries> series, int x, int y)
    {
        var count = series.Sum(s => s.Points.Count);
        if (count == 0)
        {
            return null;
        }

        var (xLo, xHi, xStep) = Range(series.SelectMany(s => s.Points).Select(p => Display(x, p.X)), x);
        var (yLo, yHi, yStep) = Range(series.SelectMany(s => s.Points).Select(p => Display(y, p.Y)), y);
        double Px(double v) => Left + ((v - xLo) / (xHi - xLo) * (Right - Left));
        double Py(double v) => Bottom - ((v - yLo) / (yHi - yLo) * (Bottom - Top));

        var drawn = new List<Drawn>(series.Count);
        foreach (var s in series)
        {
            if (s.Points.Count == 0)
            {
                continue;
            }

            var path = new StringBuilder(s.Points.Count * 14);
            foreach (var (px, py) in s.Points)
            {
                path.Append(CultureInfo.InvariantCulture, $"M{Px(Display(x, px)):0.#} {Py(Display(y, py)):0.#}h0");
            }

            drawn.Add(new Drawn(s.ClusterId, s.Name, Colour(s.ClusterId), path.ToString(), s.Points.Count));
        }

        return new ScatterPlot(x, y,
            Ticks(xLo, xHi, xStep, Px), Ticks(yLo, yHi, yStep, Py), AxisTitle(x), AxisTitle(y), drawn, count);
    }

    /// <summary>The colour of a cluster on the map: its card's (<see cref="ClusterColors"/>).</summary>
    public static string Colour(int clusterId) => ClusterColors.Of(clusterId);

    // 0–1 features are drawn as percentages; tempo in BPM and loudness in dB as they are.
    internal static double Display(int feature, double value) => feature is 0 or 4 ? value : Math.Round(value * 100, 1);

    private static string AxisTitle(int feature) => feature switch
    {
        0 => "Tempo (BPM)",
        4 => "Loudness (dB)",
        _ => FeatureScale.Labels[feature] + " (%)",
    };

    private static (double Lo, double Hi, double Step) Range(IEnumerable<double> values, int feature)
    {
        double min = double.MaxValue, max = double.MinValue;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        var step = feature switch { 0 => 20.0, 4 => 5.0, _ => 10.0 };
        var lo = Math.Floor(min / step) * step;
        var hi = Math.Ceiling(max / step) * step;
        if (hi <= lo)
        {
            hi = lo + step;
        }

        while ((hi - lo) / step > 10)
        {
            step *= 2;
            lo = Math.Floor(min / step) * step;
            hi = Math.Ceiling(max / step) * step;
        }

        return (lo, hi, step);
    }

    private static List<Tick> Ticks(double lo, double hi, double step, Func<double, double> at)
    {
        var ticks = new List<Tick>();
        for (var v = lo; v <= hi + (step / 1000); v += step)
        {
            ticks.Add(new Tick(Math.Round(at(v), 1), v.ToString("0.##", CultureInfo.InvariantCulture)));
        }

        return ticks;
    }
}
