using Recs.Core;

namespace Recs.Web.Libraries;

/// <summary>
/// Puts features on a common 0–1 scale for charts: energy, danceability and valence are already 0–1; tempo and
/// loudness are mapped from the range real music occupies (clamped), so a profile chart compares like with like.
/// </summary>
public static class FeatureScale
{
    /// <summary>Tempo range mapped to 0–1, in BPM.</summary>
    public const double TempoMin = 50, TempoMax = 210;

    /// <summary>Loudness range mapped to 0–1, in dB.</summary>
    public const double LoudnessMin = -35, LoudnessMax = 0;

    /// <summary>Human labels in <see cref="AudioFeatures.Names"/> order.</summary>
    public static readonly IReadOnlyList<string> Labels = ["Tempo", "Energy", "Danceability", "Valence", "Loudness"];

    /// <summary>Units shown next to a value, in <see cref="AudioFeatures.Names"/> order.</summary>
    public static readonly IReadOnlyList<string> Units = ["BPM", "", "", "", "dB"];

    /// <summary>The feature at <paramref name="index"/> on the 0–1 scale.</summary>
    public static double Normalise(int index, double value) => index switch
    {
        0 => Clamp((value - TempoMin) / (TempoMax - TempoMin)),
        4 => Clamp((value - LoudnessMin) / (LoudnessMax - LoudnessMin)),
        _ => Clamp(value),
    };

    /// <summary>All five features on the 0–1 scale, in <see cref="AudioFeatures.Names"/> order.</summary>
    public static double[] Normalise(AudioFeatures f)
    {
        var values = new double[AudioFeatures.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Round(Normalise(i, f[i]), 3);
        }

        return values;
    }

    /// <summary>A feature value formatted for people (BPM without decimals, dB with one, the rest with two).</summary>
    public static string Format(int index, double value) => index switch
    {
        0 => value > 0 ? value.ToString("0") : "–",
        4 => value.ToString("0.0"),
        _ => value.ToString("0.00"),
    };

    private static double Clamp(double v) => double.IsFinite(v) ? Math.Clamp(v, 0, 1) : 0;
}
