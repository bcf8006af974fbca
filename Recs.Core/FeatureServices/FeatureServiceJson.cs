using System.Text.Json.Serialization;

namespace Recs.Core.FeatureServices;

/// <summary>ReccoBeats' <c>GET /v1/audio-features?ids=</c>: <c>{"content":[…]}</c>, unknown ids omitted.</summary>
internal sealed record ReccoBeatsAudioFeaturesResponse([property: JsonPropertyName("content")] List<ReccoBeatsAudioFeatures?>? Content);

/// <summary>
/// One ReccoBeats row. <c>id</c> is ReccoBeats' own UUID; the Spotify track id is only in <c>href</c>
/// (<c>https://open.spotify.com/track/{id}</c>). No time signature, no duration.
/// </summary>
internal sealed record ReccoBeatsAudioFeatures(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("href")] string? Href,
    [property: JsonPropertyName("isrc")] string? Isrc,
    [property: JsonPropertyName("acousticness")] double? Acousticness,
    [property: JsonPropertyName("danceability")] double? Danceability,
    [property: JsonPropertyName("energy")] double? Energy,
    [property: JsonPropertyName("instrumentalness")] double? Instrumentalness,
    [property: JsonPropertyName("key")] int? Key,
    [property: JsonPropertyName("liveness")] double? Liveness,
    [property: JsonPropertyName("loudness")] double? Loudness,
    [property: JsonPropertyName("mode")] int? Mode,
    [property: JsonPropertyName("speechiness")] double? Speechiness,
    [property: JsonPropertyName("tempo")] double? Tempo,
    [property: JsonPropertyName("valence")] double? Valence);

/// <summary>Spotify's <c>GET /audio-features?ids=</c>: <c>{"audio_features":[… or null]}</c> in request order.</summary>
internal sealed record SpotifyAudioFeaturesResponse([property: JsonPropertyName("audio_features")] List<SpotifyAudioFeatures?>? AudioFeatures);

/// <summary>Spotify's AudioFeaturesObject (fixed-spotify-open-api.yml).</summary>
internal sealed record SpotifyAudioFeatures(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("acousticness")] double? Acousticness,
    [property: JsonPropertyName("danceability")] double? Danceability,
    [property: JsonPropertyName("duration_ms")] int? DurationMs,
    [property: JsonPropertyName("energy")] double? Energy,
    [property: JsonPropertyName("instrumentalness")] double? Instrumentalness,
    [property: JsonPropertyName("key")] int? Key,
    [property: JsonPropertyName("liveness")] double? Liveness,
    [property: JsonPropertyName("loudness")] double? Loudness,
    [property: JsonPropertyName("mode")] int? Mode,
    [property: JsonPropertyName("speechiness")] double? Speechiness,
    [property: JsonPropertyName("tempo")] double? Tempo,
    [property: JsonPropertyName("time_signature")] int? TimeSignature,
    [property: JsonPropertyName("valence")] double? Valence);

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ReccoBeatsAudioFeaturesResponse))]
[JsonSerializable(typeof(SpotifyAudioFeaturesResponse))]
internal sealed partial class FeatureServiceJsonContext : JsonSerializerContext;
