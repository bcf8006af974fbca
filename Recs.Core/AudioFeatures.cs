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

/// <summary>
/// Where a clustered track's features came from, in the order Recs tries them for each track (docs/contracts.md §Pipeline item 7): the
/// listener's own file, the catalog, a features service, and only then a prediction from metadata.
/// </summary>
public enum FeatureSource
{
    /// <summary>Real features carried by the listener's own uploaded file.</summary>
    File,

    /// <summary>Real features from the catalog (the model's catalog, or catalog tracks added after training).</summary>
    Catalog,

    /// <summary>Real features from a features service (fetched now or cached from an earlier lookup).</summary>
    Service,

    /// <summary>Predicted from metadata by the Recs model.</summary>
    Predicted,
}

/// <summary>The wire names of <see cref="FeatureSource"/> (docs/contracts.md §HTTP <c>source</c>).</summary>
public static class FeatureSources
{
    /// <summary>Every source in the order they are tried.</summary>
    public static readonly IReadOnlyList<FeatureSource> All = [FeatureSource.File, FeatureSource.Catalog, FeatureSource.Service, FeatureSource.Predicted];

    /// <summary>The snake_case name used in JSON, CSV and the CLI: file, catalog, service, predicted.</summary>
    public static string Name(FeatureSource source) => source switch
    {
        FeatureSource.File => "file",
        FeatureSource.Catalog => "catalog",
        FeatureSource.Service => "service",
        _ => "predicted",
    };

    /// <summary>Parses a wire name (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string? name, out FeatureSource source)
    {
        foreach (var s in All)
        {
            if (string.Equals(Name(s), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                source = s;
                return true;
            }
        }

        source = default;
        return false;
    }

    /// <summary>True for real (measured) features: file, catalog or service.</summary>
    public static bool IsReal(FeatureSource source) => source != FeatureSource.Predicted;
}

