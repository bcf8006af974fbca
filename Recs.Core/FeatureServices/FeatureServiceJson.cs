using System.Text.Json.Serialization;
using Recs.Core.Libraries;

namespace Recs.Core.FeatureServices;

/// <summary>
/// The audio features both answer shapes carry, under Spotify's names (ReccoBeats copies Spotify's AudioFeaturesObject;
/// each shape adds its own identifying fields).
/// </summary>
internal abstract record AudioFeaturesRow
{
    [JsonPropertyName("acousticness")] public double? Acousticness { get; init; }

    [JsonPropertyName("danceability")] public double? Danceability { get; init; }

    [JsonPropertyName("energy")] public double? Energy { get; init; }

    [JsonPropertyName("instrumentalness")] public double? Instrumentalness { get; init; }

    [JsonPropertyName("key")] public int? Key { get; init; }

    [JsonPropertyName("liveness")] public double? Liveness { get; init; }

    [JsonPropertyName("loudness")] public double? Loudness { get; init; }

    [JsonPropertyName("mode")] public int? Mode { get; init; }

    [JsonPropertyName("speechiness")] public double? Speechiness { get; init; }

    [JsonPropertyName("tempo")] public double? Tempo { get; init; }

    [JsonPropertyName("valence")] public double? Valence { get; init; }

    /// <summary>
    /// The row as Recs stores it, or null without a Spotify id or without one of the five clustered features. A missing
    /// secondary feature takes Spotify's "unknown" (key −1, mode 1, the others 0), a missing time signature 0.
    /// </summary>
    public ServiceAudioFeatures? ToFeatures(string? spotifyId, int? timeSignature, int? durationMs) =>
        spotifyId is { Length: > 0 } id && this is { Danceability: { } dance, Energy: { } energy, Loudness: { } loudness, Tempo: { } tempo, Valence: { } valence }
            ? new ServiceAudioFeatures(id, new SpotifyAudioFeatures(dance, energy, Key ?? -1, loudness, Mode ?? 1, Speechiness ?? 0, Acousticness ?? 0,
                Instrumentalness ?? 0, Liveness ?? 0, valence, tempo, timeSignature ?? 0), durationMs)
            : null;
}

/// <summary>ReccoBeats' <c>GET /v1/audio-features?ids=</c>: <c>{"content":[…]}</c>, unknown ids omitted.</summary>
internal sealed record ReccoBeatsAudioFeaturesResponse([property: JsonPropertyName("content")] List<ReccoBeatsAudioFeatures?>? Content);

/// <summary>
/// One ReccoBeats row. <c>id</c> is ReccoBeats' own UUID; the Spotify track id is only in <c>href</c>
/// (<c>https://open.spotify.com/track/{id}</c>). No time signature, no duration.
/// </summary>
internal sealed record ReccoBeatsAudioFeatures : AudioFeaturesRow
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("href")] public string? Href { get; init; }

    [JsonPropertyName("isrc")] public string? Isrc { get; init; }
}

/// <summary>Spotify's <c>GET /audio-features?ids=</c>: <c>{"audio_features":[… or null]}</c> in request order.</summary>
internal sealed record SpotifyAudioFeaturesResponse([property: JsonPropertyName("audio_features")] List<SpotifyAudioFeaturesObject?>? AudioFeatures);

/// <summary>Spotify's AudioFeaturesObject (fixed-spotify-open-api.yml; docs/spotify.md).</summary>
internal sealed record SpotifyAudioFeaturesObject : AudioFeaturesRow
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("duration_ms")] public int? DurationMs { get; init; }

    [JsonPropertyName("time_signature")] public int? TimeSignature { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ReccoBeatsAudioFeaturesResponse))]
[JsonSerializable(typeof(SpotifyAudioFeaturesResponse))]
internal sealed partial class FeatureServiceJsonContext : JsonSerializerContext;
