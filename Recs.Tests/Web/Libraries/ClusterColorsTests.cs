using Recs.Web.Libraries;

namespace Recs.Tests.Web.Libraries;

/// <summary>The cluster palette stays distinct for every k it covers, for normal vision and the three colour-vision deficiencies.</summary>
public sealed class ClusterColorsTests
{
    // Machado, Oliveira & Fernandes (2009) simulation matrices at full severity, on linear RGB.
    private static readonly Dictionary<string, double[,]> Vision = new()
    {
        ["normal"] = new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } },
        ["deuteranopia"] = new[,] { { 0.367322, 0.860646, -0.227968 }, { 0.280085, 0.672501, 0.047413 }, { -0.011820, 0.042940, 0.968881 } },
        ["protanopia"] = new[,] { { 0.152286, 1.052583, -0.204868 }, { 0.114503, 0.786281, 0.099216 }, { -0.003882, -0.048116, 1.051998 } },
        ["tritanopia"] = new[,] { { 1.255528, -0.076749, -0.178779 }, { -0.078411, 0.930809, 0.147602 }, { 0.004733, 0.691367, 0.303900 } },
    };

    /// <summary>CIE76 ΔE below which two small map points are easy to confuse.</summary>
    private const double MinDeltaE = 12;

    [Fact]
    public void EveryKUpToThePaletteSizeGetsColoursThatStayApartForEveryKindOfVision()
    {
        Assert.Equal(12, ClusterColors.DistinctCount);
        Assert.Equal(ClusterColors.Palette.Count, ClusterColors.Palette.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var (vision, matrix) in Vision)
        {
            var lab = ClusterColors.Palette.Select(h => Lab(Simulate(Linear(h), matrix))).ToArray();
            for (var i = 0; i < lab.Length; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    var d = Distance(lab[i], lab[j]);
                    Assert.True(d >= MinDeltaE, $"{vision}: {ClusterColors.Palette[j]} and {ClusterColors.Palette[i]} are only ΔE {d:0.0} apart");
                }
            }
        }
    }

    [Fact]
    public void AClusterKeepsItsColourAndNeighboursDiffer()
    {
        Assert.Equal(ClusterColors.Of(3), ClusterColors.Of(3));
        Assert.Equal(ClusterColors.Palette[0], ClusterColors.Of(0));
        Assert.Equal(9, Enumerable.Range(0, 9).Select(ClusterColors.Of).Distinct().Count());
        Assert.Equal(ClusterColors.Of(0), ClusterColors.Of(ClusterColors.DistinctCount)); // past the palette, colours repeat
    }

    private static double[] Linear(string hex) => Enumerable.Range(0, 3)
        .Select(i => Convert.ToInt32(hex.Substring(1 + 2 * i, 2), 16) / 255.0)
        .Select(c => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4))
        .ToArray();

    private static double[] Simulate(double[] rgb, double[,] m) =>
        Enumerable.Range(0, 3).Select(i => Math.Clamp(m[i, 0] * rgb[0] + m[i, 1] * rgb[1] + m[i, 2] * rgb[2], 0, 1)).ToArray();

    private static double[] Lab(double[] rgb)
    {
        var x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047;
        var y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
        var z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883;
        static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : 7.787 * t + 16.0 / 116;
        return [116 * F(y) - 16, 500 * (F(x) - F(y)), 200 * (F(y) - F(z))];
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (p, q) => (p - q) * (p - q)).Sum());
}
