using System.Text.Json.Serialization;

namespace Recs.Core.Spotify;

// Shapes from the OpenAPI files in shared/spotify. Every field Development Mode removed (popularity, followers,
// email, country, product, available_markets) and everything local files lack (ids, album dates) is nullable.

/// <summary><c>GET /me</c>.</summary>
public sealed record SpotifyUser(
    string Id,
    string? AccountId,
    string? DisplayName,
    IReadOnlyList<SpotifyImage>? Images,
    string? Uri,
    string? Country,
    string? Email,
    string? Product)
{
    /// <summary><c>account_id</c> (Spotify's recommended stable key since 2026-05), else <c>id</c>.</summary>
    public string StableId => string.IsNullOrEmpty(AccountId) ? Id : AccountId;
}

public sealed record SpotifyImage(string Url, int? Height, int? Width);

/// <summary>A simplified artist inside a track; id and uri are null on local files.</summary>
public sealed record SpotifyArtistRef(string? Id, string? Name, string? Uri);

public sealed record SpotifyAlbum(
    string? Id,
    string? Name,
    string? ReleaseDate,
    string? ReleaseDatePrecision,
    IReadOnlyList<SpotifyImage>? Images);

public sealed record SpotifyExternalIds(string? Isrc);

/// <summary>A track object. <see cref="Popularity"/> is absent in Development Mode; local files have no id.</summary>
public sealed record SpotifyTrack(
    string? Id,
    string? Name,
    string? Uri,
    int? DurationMs,
    bool? Explicit,
    int? Popularity,
    bool IsLocal,
    SpotifyExternalIds? ExternalIds,
    IReadOnlyList<SpotifyArtistRef>? Artists,
    SpotifyAlbum? Album)
{
    /// <summary>Year of <c>album.release_date</c> ("1999", "1999-05", "1999-05-01"); null when absent or "0000".</summary>
    public int? ReleaseYear => SpotifyDates.Year(Album?.ReleaseDate);
}

/// <summary>An item of <c>GET /me/tracks</c>.</summary>
public sealed record SpotifySavedTrack(string? AddedAt, SpotifyTrack? Track);

/// <summary>A paging object; follow <see cref="Next"/> (an absolute URL) until it is null.</summary>
public sealed record SpotifyPage<T>(string? Href, IReadOnlyList<T> Items, int Limit, string? Next, int Offset, string? Previous, int Total);

public sealed record SpotifyFollowers(int? Total);

/// <summary>A full artist. <see cref="Popularity"/> and <see cref="Followers"/> are absent in Development Mode; genres may be empty.</summary>
public sealed record SpotifyArtist(
    string Id,
    string? Name,
    IReadOnlyList<string>? Genres,
    int? Popularity,
    SpotifyFollowers? Followers,
    string? Uri);

public sealed record SpotifyTracksResponse(IReadOnlyList<SpotifyTrack?> Tracks);

public sealed record SpotifyArtistsResponse(IReadOnlyList<SpotifyArtist?> Artists);

public sealed record SpotifyPlaylistOwner(string? Id, string? DisplayName);

/// <summary>The playlist <c>POST /me/playlists</c> answers with.</summary>
public sealed record SpotifyPlaylist(string Id, string? Name, bool? Public, string? SnapshotId, string? Uri, SpotifyPlaylistOwner? Owner);

public sealed record SpotifySnapshot(string? SnapshotId);

public sealed record SpotifyCreatePlaylistRequest(string Name, bool Public, bool Collaborative, string? Description);

public sealed record SpotifyAddItemsRequest(IReadOnlyList<string> Uris);

public sealed record SpotifyErrorBody(SpotifyError? Error);

public sealed record SpotifyError(int Status, string? Message, string? Reason);

/// <summary>A successful <c>/api/token</c> answer. <see cref="RefreshToken"/> may be absent: keep the old one then.</summary>
public sealed record SpotifyTokenResponse(string AccessToken, string? TokenType, string? Scope, int ExpiresIn, string? RefreshToken);

/// <summary>An RFC 6749 token error.</summary>
public sealed record SpotifyTokenError(string? Error, string? ErrorDescription);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SpotifyUser))]
[JsonSerializable(typeof(SpotifyTrack))]
[JsonSerializable(typeof(SpotifyArtist))]
[JsonSerializable(typeof(SpotifyPage<SpotifySavedTrack>))]
[JsonSerializable(typeof(SpotifyTracksResponse))]
[JsonSerializable(typeof(SpotifyArtistsResponse))]
[JsonSerializable(typeof(SpotifyPlaylist))]
[JsonSerializable(typeof(SpotifySnapshot))]
[JsonSerializable(typeof(SpotifyCreatePlaylistRequest))]
[JsonSerializable(typeof(SpotifyAddItemsRequest))]
[JsonSerializable(typeof(SpotifyErrorBody))]
[JsonSerializable(typeof(SpotifyTokenResponse))]
[JsonSerializable(typeof(SpotifyTokenError))]
internal sealed partial class SpotifyJsonContext : JsonSerializerContext;

/// <summary>Spotify release dates ("YYYY", "YYYY-MM" or "YYYY-MM-DD").</summary>
public static class SpotifyDates
{
    /// <summary>The year of a release date, or null when absent, malformed or "0000".</summary>
    public static int? Year(string? releaseDate) =>
        releaseDate is { Length: >= 4 } d && int.TryParse(d.AsSpan(0, 4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) && y > 0
            ? y
            : null;
}
