using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Recs.Core;

namespace Recs.Web.Libraries;

/// <summary>
/// A cluster's sound profile against the library's average as SVG geometry in a fixed view box: the five features on a
/// common 0–100 scale (<see cref="FeatureScale"/>), two bars per feature drawn as one path per series, gridlines as one
/// path, ticks as text. Like <see cref="ScatterPlot"/>, it replaces a charting component whose bars, axes and legend
/// were a dozen components and hundreds of render-tree frames per card in every circuit (ADR-180); computed once per
/// cluster summary of a cached clustering and shared by every tab that shows it.
/// </summary>
public sealed class ProfileBars
{
    public const double Width = 340, Height = 186;
    public const double Left = 34, Right = Width - 4, Top = 8, Bottom = Height - 26;

    /// <summary>The short labels under the bar groups, in <see cref="AudioFeatures.Names"/> order.</summary>
    public static readonly IReadOnlyList<string> ShortLabels = ["Tempo", "Energy", "Dance", "Valence", "Loud"];

    private static readonly ConditionalWeakTable<ClusterSummary, ProfileBars> Drawings = [];

    private ProfileBars(string clusterPath, string averagePath, string grid, string description)
    {
        ClusterPath = clusterPath;
        AveragePath = averagePath;
        Grid = grid;
        Description = description;
    }

    /// <summary>The cluster's five bars.</summary>
    public string ClusterPath { get; }

    /// <summary>The library average's five bars.</summary>
    public string AveragePath { get; }

    /// <summary>Horizontal gridlines at the <see cref="YTicks"/>.</summary>
    public string Grid { get; }

    /// <summary>The values in words, for screen readers and the hover title.</summary>
    public string Description { get; }

    /// <summary>Tick values on the 0–100 axis.</summary>
    public static readonly IReadOnlyList<int> YTicks = [0, 25, 50, 75, 100];

    /// <summary>The y position of <paramref name="value"/> (0–100) in the view box.</summary>
    public static double Y(double value) => Bottom - (Bottom - Top) * Math.Clamp(value, 0, 100) / 100;

    /// <summary>The x centre of feature <paramref name="index"/>'s group of bars.</summary>
    public static double GroupCentre(int index) => Left + (Right - Left) * (index + 0.5) / AudioFeatures.Count;

    /// <summary>The drawing for <paramref name="cluster"/>, memoised per summary (every tab gets the same summary from the cache).</summary>
    public static ProfileBars For(ClusterSummary cluster, AudioFeatures libraryAverage) =>
        Drawings.GetValue(cluster, c => Draw(c, libraryAverage));

    private static ProfileBars Draw(ClusterSummary cluster, AudioFeatures libraryAverage)
    {
        var mine = Scaled(cluster.Average);
        var all = Scaled(libraryAverage);
        var group = (Right - Left) / AudioFeatures.Count;
        var bar = group * 0.34;
        var words = new StringBuilder();
        for (var i = 0; i < AudioFeatures.Count; i++)
        {
            words.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : "; ")}{FeatureScale.Labels[i]} {mine[i]:0} (library {all[i]:0})");
        }

        var grid = new StringBuilder();
        foreach (var tick in YTicks)
        {
            grid.Append(CultureInfo.InvariantCulture, $"M{Left:0.#} {Y(tick):0.#}H{Right:0.#}");
        }

        return new ProfileBars(
            Bars(mine, i => GroupCentre(i) - bar - 1, bar),
            Bars(all, i => GroupCentre(i) + 1, bar),
            grid.ToString(),
            $"Sound profile of {cluster.Name} against the library average (0–100): {words}");
    }

    private static string Bars(double[] values, Func<int, double> x, double width)
    {
        var path = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            var top = Y(values[i]);
            path.Append(CultureInfo.InvariantCulture, $"M{x(i):0.#} {Bottom:0.#}V{top:0.#}h{width:0.#}V{Bottom:0.#}Z");
        }

        return path.ToString();
    }

    private static double[] Scaled(AudioFeatures f) => FeatureScale.Normalise(f).Select(v => Math.Round(v * 100)).ToArray();
}
