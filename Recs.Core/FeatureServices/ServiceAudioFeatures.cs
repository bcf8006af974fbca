using Recs.Core.Catalog;

namespace Recs.Core.FeatureServices;

/// <summary>
/// One track's features as a features service gives them (Spotify's definitions). ReccoBeats gives no time signature
/// and no duration: those stay null.
/// </summary>
public sealed record ServiceAudioFeatures(
    string SpotifyId,
    double Danceability,
    double Energy,
    int Key,
    double Loudness,
    int Mode,
    double Speechiness,
    double Acousticness,
    double Instrumentalness,
    double Liveness,
    double Valence,
    double Tempo,
    int? TimeSignature,
    int? DurationMs)
{
    /// <summary>The five clustered features.</summary>
    public AudioFeatures Features => new(Tempo, Energy, Danceability, Valence, Loudness);

    /// <summary>Null when every value is within the catalog's ranges (docs/contracts.md §Data), else the first reason it is not.</summary>
    public string? Problem() =>
        FeatureRanges.Check("danceability", Danceability) ?? FeatureRanges.Check("energy", Energy) ?? FeatureRanges.Check("key", Key)
        ?? FeatureRanges.Check("loudness", Loudness) ?? FeatureRanges.Check("mode", Mode) ?? FeatureRanges.Check("speechiness", Speechiness)
        ?? FeatureRanges.Check("acousticness", Acousticness) ?? FeatureRanges.Check("instrumentalness", Instrumentalness)
        ?? FeatureRanges.Check("liveness", Liveness) ?? FeatureRanges.Check("valence", Valence) ?? FeatureRanges.Check("tempo", Tempo)
        ?? (TimeSignature is { } ts ? FeatureRanges.Check("time_signature", ts) : null)
        ?? (DurationMs is { } d ? FeatureRanges.Check("duration_ms", d) : null);
}
