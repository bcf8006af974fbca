namespace Recs.Core.Libraries;

/// <summary>Spotify's twelve audio features of a track, in Spotify's units (see <see cref="Catalog.FeatureRanges"/>).</summary>
public sealed record SpotifyAudioFeatures(
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
    int TimeSignature)
{
    /// <summary>The five clustered features.</summary>
    public AudioFeatures Clustered => new(Tempo, Energy, Danceability, Valence, Loudness);
}
