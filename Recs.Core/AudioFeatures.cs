using System.Text.Json.Serialization;

namespace Recs.Core;

/// <summary>
/// The five audio features Recs clusters on, in Spotify's units: tempo in BPM, loudness in dB,
/// energy, danceability and valence in [0, 1]. A tempo of 0 (or NaN) means "not detected".
/// </summary>
public readonly record struct AudioFeatures(double Tempo, double Energy, double Danceability, double Valence, double Loudness)
{
    /// <summary>The feature names in their fixed order (as used in artifacts and JSON).</summary>
    public static readonly IReadOnlyList<string> Names = ["tempo", "energy", "danceability", "valence", "loudness"];

    /// <summary>Number of clustered features.</summary>
    public const int Count = 5;

    /// <summary>Value of the feature at <paramref name="index"/> in <see cref="Names"/> order.</summary>
    public double this[int index] => index switch
    {
        0 => Tempo,
        1 => Energy,
        2 => Danceability,
        3 => Valence,
        4 => Loudness,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Builds features from values in <see cref="Names"/> order.</summary>
    public static AudioFeatures FromSpan(ReadOnlySpan<double> v) => new(v[0], v[1], v[2], v[3], v[4]);

    /// <summary>True when the tempo was detected (Spotify reports 0 when it was not).</summary>
    [JsonIgnore] // derived; the JSON contracts carry the five features only
    public bool HasTempo => Tempo > 0 && double.IsFinite(Tempo);
}

/// <summary>Where a clustered track's features came from.</summary>
public enum FeatureSource
{
    /// <summary>Known audio features from the catalog (or from the library file itself).</summary>
    Catalog,

    /// <summary>Predicted from metadata by the Recs model.</summary>
    Predicted,
}
