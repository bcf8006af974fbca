using Recs.Core.Libraries;

namespace Recs.Core.Catalog;

/// <summary>
/// Valid values of Spotify's audio features and track fields (docs/contracts.md §Data): Spotify's own definitions widened to what
/// real data holds (loudness slightly above 0 dB, time signatures 0 and 1, durations of 0 ms, tempo 0 = not detected).
/// </summary>
public static class FeatureRanges
{
    /// <summary>Loudness range in dB.</summary>
    public const double LoudnessMin = -60, LoudnessMax = 5;

    /// <summary>Key range (−1 = no key detected).</summary>
    public const int KeyMin = -1, KeyMax = 11;

    /// <summary>Time signature range.</summary>
    public const int TimeSignatureMin = 0, TimeSignatureMax = 7;

    /// <summary>Popularity range.</summary>
    public const int PopularityMin = 0, PopularityMax = 100;

    /// <summary>
    /// Checks one value; returns null when valid, else the reason (e.g. "energy 1.5 is outside [0, 1]").
    /// <paramref name="name"/> is the feature name in lower case as Kaggle writes it.
    /// </summary>
    public static string? Check(string name, double value)
    {
        if (!double.IsFinite(value))
        {
            return $"{name} is not a finite number";
        }

        (double Min, double Max)? range = name switch
        {
            "danceability" or "energy" or "valence" or "speechiness" or "acousticness" or "instrumentalness" or "liveness" => (0, 1),
            "loudness" => (LoudnessMin, LoudnessMax),
            "tempo" => (0, double.PositiveInfinity),
            "key" => (KeyMin, KeyMax),
            "mode" => (0, 1),
            "time_signature" => (TimeSignatureMin, TimeSignatureMax),
            "popularity" => (PopularityMin, PopularityMax),
            "duration_ms" => (0, int.MaxValue),
            _ => null,
        };

        if (range is not { } r || (value >= r.Min && value <= r.Max))
        {
            return null;
        }

        return double.IsPositiveInfinity(r.Max)
            ? $"{name} {Format(value)} is below {Format(r.Min)}"
            : $"{name} {Format(value)} is outside [{Format(r.Min)}, {Format(r.Max)}]";
    }

    /// <summary>Null when all twelve of Spotify's audio features are in range, else the first reason one is not.</summary>
    public static string? Problem(SpotifyAudioFeatures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Check("danceability", f.Danceability) ?? Check("energy", f.Energy) ?? Check("key", f.Key) ?? Check("loudness", f.Loudness)
            ?? Check("mode", f.Mode) ?? Check("speechiness", f.Speechiness) ?? Check("acousticness", f.Acousticness)
            ?? Check("instrumentalness", f.Instrumentalness) ?? Check("liveness", f.Liveness) ?? Check("valence", f.Valence)
            ?? Check("tempo", f.Tempo) ?? Check("time_signature", f.TimeSignature);
    }

    /// <summary>Null when the five clustered features are in range, else the first reason one is not.</summary>
    public static string? Problem(AudioFeatures f) =>
        Check("tempo", f.Tempo) ?? Check("energy", f.Energy) ?? Check("danceability", f.Danceability)
        ?? Check("valence", f.Valence) ?? Check("loudness", f.Loudness);

    private static string Format(double v) => v.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
}
