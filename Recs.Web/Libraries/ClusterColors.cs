namespace Recs.Web.Libraries;

/// <summary>
/// One colour per cluster, shared by the library's cards and its map (issue 13.14). The first seven are Okabe &amp; Ito's
/// colour-blind-safe set (without black), the next five from Paul Tol's muted scheme, ordered so that the first k
/// colours stay far apart (CIE76 ΔE ≥ 13) for normal vision and under simulated deuteranopia, protanopia and tritanopia
/// for every k up to <see cref="DistinctCount"/> (checked by ClusterColorsTests). Past that, colours repeat and the
/// names tell clusters apart. Cluster ids are 0…k−1 within a model, so the colour of an id is stable for a model.
/// </summary>
public static class ClusterColors
{
    /// <summary>The palette, in the order clusters take it.</summary>
    public static readonly IReadOnlyList<string> Palette =
    [
        "#0072B2", // blue
        "#E69F00", // orange
        "#009E73", // bluish green
        "#CC79A7", // reddish purple
        "#56B4E9", // sky blue
        "#D55E00", // vermillion
        "#F0E442", // yellow
        "#882255", // wine
        "#999933", // olive
        "#332288", // indigo
        "#BBBBBB", // grey
        "#117733", // green
    ];

    /// <summary>How many clusters get colours of their own.</summary>
    public static int DistinctCount => Palette.Count;

    /// <summary>The colour of cluster <paramref name="clusterId"/> (CSS hex).</summary>
    public static string Of(int clusterId) => Palette[((clusterId % Palette.Count) + Palette.Count) % Palette.Count];
}
