using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Recs.Tests.TestSupport.FakeSpotify;

/// <summary>
/// A real HTTP Spotify on 127.0.0.1: the accounts service (<c>/authorize</c>, <c>/api/token</c>) and the Web API
/// endpoints Recs uses under <c>/v1</c>, in the Development Mode or Extended Quota profile, with scripted faults and a
/// request log. <c>await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.DevelopmentMode);</c>
/// </summary>
public sealed partial class FakeSpotifyServer : IAsyncDisposable
{
    public const string DefaultClientId = "fake-client-id";
    public const string DefaultClientSecret = "fake-client-secret";

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeSpotifyRequest> _log = new();
    private readonly ConcurrentDictionary<string, AccessToken> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshToken> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);

    private FakeSpotifyServer(FakeSpotifyProfile profile, WebApplication app)
    {
        Profile = profile;
        _app = app;
    }

    /// <summary>Development Mode or Extended Quota; may be switched during a test.</summary>
    public FakeSpotifyProfile Profile { get; set; }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c> (authorize at <c>/authorize</c>, tokens at <c>/api/token</c>).</summary>
    public string AccountsBaseUrl { get; private set; } = "";

    /// <summary>e.g. <c>http://127.0.0.1:41234/v1</c>.</summary>
    public string ApiBaseUrl { get; private set; } = "";

    public string ClientId { get; set; } = DefaultClientId;
    public string ClientSecret { get; set; } = DefaultClientSecret;

    /// <summary>Redirect URIs registered in the "dashboard"; empty = any https or loopback-IP http URI.</summary>
    public List<string> RedirectUris { get; } = [];

    /// <summary>Skip the consent page: <c>/authorize</c> redirects straight back (for tests without a browser).</summary>
    public bool AutoConsent { get; set; }

    /// <summary>The user who consents on the authorize page unless the form picks another.</summary>
    public string? ConsentUserId { get; set; }

    /// <summary><c>expires_in</c> of access tokens and when they stop working.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When set, an access token answers 401 after this many API requests (a token that "expired" early).</summary>
    public int? AccessTokenMaxUses { get; set; }

    /// <summary>Refresh tokens die this long after the user's authorisation (2026: six months), whatever the refreshes.</summary>
    public TimeSpan ConsentLifetime { get; set; } = TimeSpan.FromDays(182);

    /// <summary>PKCE behaviour: every refresh returns a new refresh token and revokes the old one.</summary>
    public bool RotateRefreshTokens { get; set; } = true;

    /// <summary>Grandfathered apps: related-artists and audio-features answer instead of 403.</summary>
    public bool LegacyEndpoints { get; set; }

    /// <summary>The clock for token expiry (swap in a FakeTimeProvider to move time).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public FakeSpotifyData Data { get; } = new();
    public FakeSpotifyFaults Faults { get; } = new();

    /// <summary>Every request answered, in order.</summary>
    public IReadOnlyList<FakeSpotifyRequest> Requests => _log.ToArray();

    /// <summary>Requests whose path starts with <paramref name="pathPrefix"/> (e.g. <c>/v1/me/tracks</c>).</summary>
    public IReadOnlyList<FakeSpotifyRequest> RequestsTo(string pathPrefix) =>
        _log.Where(r => r.Path.StartsWith(pathPrefix, StringComparison.Ordinal)).ToArray();

    /// <summary>Web API requests only (under <c>/v1</c>).</summary>
    public IReadOnlyList<FakeSpotifyRequest> ApiRequests => RequestsTo("/v1/");

    /// <summary>Token endpoint calls by grant type.</summary>
    public ConcurrentQueue<string> TokenGrants { get; } = new();

    public void ClearLog() => _log.Clear();

    public static async Task<FakeSpotifyServer> StartAsync(FakeSpotifyProfile profile = FakeSpotifyProfile.DevelopmentMode)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ApplicationName = typeof(FakeSpotifyServer).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var server = new FakeSpotifyServer(profile, app);
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.AccountsBaseUrl = address.TrimEnd('/');
        server.ApiBaseUrl = server.AccountsBaseUrl + "/v1";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Adds a user (and makes them the consenting user when none is set).</summary>
    public FakeUser AddUser(string id = "listener", string displayName = "Test Listener", string? accountId = null)
    {
        var user = Data.AddUser(id, displayName, accountId);
        ConsentUserId ??= user.Id;
        return user;
    }

    /// <summary>
    /// Issues a user token pair as if the user had just consented (for tests that do not run the OAuth dance).
    /// </summary>
    public FakeTokenResponse IssueUserTokens(string userId, string scope = "user-library-read playlist-modify-private user-read-private")
    {
        var now = Time.GetUtcNow();
        return IssueTokens(userId, ClientId, scope, now, withRefresh: true);
    }

    /// <summary>Makes every refresh token of the user answer <c>invalid_grant</c> (consent expired).</summary>
    public void ExpireConsent(string userId)
    {
        foreach (var (key, token) in _refreshTokens)
        {
            if (token.UserId == userId)
            {
                _refreshTokens[key] = token with { AuthorizedAt = DateTimeOffset.MinValue.AddYears(1) };
            }
        }
    }

    /// <summary>Expires every access token now (the next API call answers 401).</summary>
    public void ExpireAccessTokens()
    {
        foreach (var key in _accessTokens.Keys)
        {
            _accessTokens.AddOrUpdate(key, _ => throw new InvalidOperationException(), (_, t) => t with { ExpiresAt = DateTimeOffset.MinValue });
        }
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            string? token = null;
            string? userId = null;
            var auth = context.Request.Headers.Authorization.ToString();
            if (auth.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                token = auth["Bearer ".Length..].Trim();
                if (_accessTokens.TryGetValue(token, out var t))
                {
                    userId = t.UserId;
                }
            }

            if (Faults.Next(path) is { } fault)
            {
                if (fault.Latency > TimeSpan.Zero)
                {
                    await Task.Delay(fault.Latency, context.RequestAborted);
                }

                if (fault.Status is { } status)
                {
                    if (fault.ExpiresToken && token is not null && _accessTokens.TryGetValue(token, out var expiring))
                    {
                        _accessTokens[token] = expiring with { ExpiresAt = DateTimeOffset.MinValue };
                    }

                    if (fault.RetryAfterSeconds is { } retryAfter)
                    {
                        context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }

                    await WriteApiErrorAsync(context, status, fault.Message, fault.Reason);
                    Log(context, path, token, userId);
                    return;
                }
            }

            await next(context);
            Log(context, path, token, userId);
        });

        // Accounts service
        app.MapGet("/authorize", Handle(c => Task.FromResult(AuthorizeGet(c))));
        app.MapPost("/authorize", Handle(AuthorizePost));
        app.MapPost("/api/token", Handle(TokenAsync));

        // Web API
        var api = app.MapGroup("/v1");
        api.MapGet("/me", Handle(c => WithUser(c, user => Results.Json(MeJson(user), Json))));
        api.MapGet("/me/tracks", Handle(c => WithUser(c, user => SavedTracks(c, user))));
        api.MapGet("/tracks/{id}", Handle(c => WithToken(c, () => SingleTrack(Id(c)))));
        api.MapGet("/tracks", Handle(c => WithToken(c, () => Batch(c, 50, "tracks", id => Data.Tracks.TryGetValue(id, out var t) ? TrackJson(t) : null))));
        api.MapGet("/artists/{id}", Handle(c => WithToken(c, () => SingleArtist(Id(c)))));
        api.MapGet("/artists", Handle(c => WithToken(c, () => Batch(c, 50, "artists", id => Data.Artists.TryGetValue(id, out var a) ? ArtistJson(a) : null))));
        api.MapGet("/artists/{id}/related-artists", Handle(c => WithToken(c, () => RelatedArtists(Id(c)))));
        api.MapGet("/audio-features", Handle(c => WithToken(c, () => AudioFeatures(c))));
        api.MapPost("/me/playlists", Handle(c => WithUser(c, user => CreatePlaylistAsync(c, user))));
        api.MapPost("/playlists/{id}/items", Handle(c => WithUser(c, user => AddItemsAsync(c, user, Id(c)))));
        // Removed in 2026 Development Mode (NOTES): answer as Spotify does so a client using them fails loudly.
        api.MapPost("/playlists/{id}/tracks", Handle(c => WithToken(c, () => ApiError(403, "Forbidden"))));
        api.MapPost("/users/{userId}/playlists", Handle(c => WithToken(c, () => ApiError(403, "Forbidden"))));
    }

    private static RequestDelegate Handle(Func<HttpContext, Task<IResult>> handler) =>
        async context => await (await handler(context)).ExecuteAsync(context);

    private static string Id(HttpContext context) => context.Request.RouteValues["id"]?.ToString() ?? "";

    private void Log(HttpContext context, string path, string? token, string? userId)
    {
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? path;
        _log.Enqueue(new FakeSpotifyRequest(Time.GetUtcNow(), context.Request.Method, path, context.Request.QueryString.Value ?? "",
            route.StartsWith('/') ? route : "/" + route, context.Response.StatusCode, token, userId));
    }

    // ---------------------------------------------------------------- Web API auth

    private Task<IResult> WithToken(HttpContext context, Func<Task<IResult>> handler) =>
        Authenticate(context, requireUser: false, out _, out var error) ? handler() : Task.FromResult(error!);

    private Task<IResult> WithToken(HttpContext context, Func<IResult> handler) =>
        Authenticate(context, requireUser: false, out _, out var error) ? Task.FromResult(handler()) : Task.FromResult(error!);

    private Task<IResult> WithUser(HttpContext context, Func<FakeUser, Task<IResult>> handler) =>
        Authenticate(context, requireUser: true, out var user, out var error) ? handler(user!) : Task.FromResult(error!);

    private Task<IResult> WithUser(HttpContext context, Func<FakeUser, IResult> handler) =>
        Authenticate(context, requireUser: true, out var user, out var error) ? Task.FromResult(handler(user!)) : Task.FromResult(error!);

    private bool Authenticate(HttpContext context, bool requireUser, out FakeUser? user, out IResult? error)
    {
        user = null;
        error = null;
        var auth = context.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            error = ApiError(401, "No token provided");
            return false;
        }

        var token = auth["Bearer ".Length..].Trim();
        if (!_accessTokens.TryGetValue(token, out var access))
        {
            error = ApiError(401, "Invalid access token");
            return false;
        }

        var uses = access.Uses + 1;
        _accessTokens[token] = access with { Uses = uses };
        if (Time.GetUtcNow() >= access.ExpiresAt || (AccessTokenMaxUses is { } max && uses > max))
        {
            error = ApiError(401, "The access token expired");
            return false;
        }

        if (access.UserId is null)
        {
            if (requireUser)
            {
                error = ApiError(401, "This request requires user authentication.");
                return false;
            }

            return true;
        }

        if (!Data.Users.TryGetValue(access.UserId, out user))
        {
            error = ApiError(401, "Invalid access token");
            return false;
        }

        if (Profile == FakeSpotifyProfile.DevelopmentMode && !user.RegisteredInDashboard)
        {
            error = ApiError(403, "User not registered in the Developer Dashboard");
            return false;
        }

        return true;
    }

    // ---------------------------------------------------------------- Web API endpoints

    private IResult SavedTracks(HttpContext context, FakeUser user)
    {
        var limit = IntQuery(context, "limit", 20);
        var offset = IntQuery(context, "offset", 0);
        if (limit is < 1 or > 50)
        {
            return ApiError(400, "Invalid limit");
        }

        if (offset < 0)
        {
            return ApiError(400, "Invalid offset");
        }

        List<FakeSavedTrack> page;
        int total;
        lock (Data.Gate)
        {
            total = user.SavedTracks.Count;
            page = user.SavedTracks.Skip(offset).Take(limit).ToList();
        }

        string PageUrl(int o) => $"{ApiBaseUrl}/me/tracks?offset={o}&limit={limit}";
        return Results.Json(new Dictionary<string, object?>
        {
            ["href"] = PageUrl(offset),
            ["items"] = page.Select(s => new Dictionary<string, object?> { ["added_at"] = s.AddedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), ["track"] = TrackJson(s.Track) }).ToList(),
            ["limit"] = limit,
            ["next"] = offset + limit < total ? PageUrl(offset + limit) : null,
            ["offset"] = offset,
            ["previous"] = offset > 0 ? PageUrl(Math.Max(0, offset - limit)) : null,
            ["total"] = total,
        }, Json);
    }

    private IResult SingleTrack(string id)
    {
        if (!IsBase62Id(id))
        {
            return ApiError(400, "Invalid base62 id");
        }

        return Data.Tracks.TryGetValue(id, out var track) ? Results.Json(TrackJson(track), Json) : ApiError(404, "Resource not found");
    }

    private IResult SingleArtist(string id)
    {
        if (!IsBase62Id(id))
        {
            return ApiError(400, "Invalid base62 id");
        }

        return Data.Artists.TryGetValue(id, out var artist) ? Results.Json(ArtistJson(artist), Json) : ApiError(404, "Resource not found");
    }

    private IResult Batch(HttpContext context, int max, string key, Func<string, object?> lookup)
    {
        if (Profile == FakeSpotifyProfile.DevelopmentMode)
        {
            return ApiError(403, "Forbidden");
        }

        var ids = context.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0)
        {
            return ApiError(400, "invalid request");
        }

        if (ids.Length > max)
        {
            return ApiError(400, "Too many ids requested");
        }

        if (ids.FirstOrDefault(i => !IsBase62Id(i)) is { } bad)
        {
            return ApiError(400, $"Invalid base62 id");
        }

        return Results.Json(new Dictionary<string, object?> { [key] = ids.Select(lookup).ToList() }, Json);
    }

    private IResult RelatedArtists(string id)
    {
        if (!LegacyEndpoints)
        {
            return ApiError(403, "Forbidden");
        }

        if (!Data.Artists.TryGetValue(id, out var artist))
        {
            return ApiError(404, "Resource not found");
        }

        var related = Data.Artists.Values.Where(a => a.Id != id && a.Genres.Intersect(artist.Genres).Any()).Take(20).Select(ArtistJson).ToList();
        return Results.Json(new Dictionary<string, object?> { ["artists"] = related }, Json);
    }

    private IResult AudioFeatures(HttpContext context)
    {
        if (!LegacyEndpoints)
        {
            return ApiError(403, "Forbidden");
        }

        var ids = context.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length is 0 or > 100)
        {
            return ApiError(400, "Too many ids requested");
        }

        return Results.Json(new Dictionary<string, object?>
        {
            ["audio_features"] = ids.Select(id =>
            {
                if (!Data.Tracks.ContainsKey(id))
                {
                    return null;
                }

                var r = new Random(id.GetHashCode(StringComparison.Ordinal));
                return new Dictionary<string, object?>
                {
                    ["id"] = id, ["tempo"] = 60 + r.NextDouble() * 120, ["energy"] = r.NextDouble(), ["danceability"] = r.NextDouble(),
                    ["valence"] = r.NextDouble(), ["loudness"] = -30 + r.NextDouble() * 28, ["type"] = "audio_features",
                };
            }).ToList(),
        }, Json);
    }

    private async Task<IResult> CreatePlaylistAsync(HttpContext context, FakeUser user)
    {
        JsonElement body;
        try
        {
            body = (await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted)).RootElement;
        }
        catch (JsonException)
        {
            return ApiError(400, "Error parsing JSON.");
        }

        if (!body.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()))
        {
            return ApiError(400, "Missing required field: name");
        }

        var playlist = new FakePlaylist
        {
            Id = Data.NewId("playlist"),
            OwnerId = user.Id,
            Name = name.GetString()!,
            Public = !body.TryGetProperty("public", out var pub) || pub.ValueKind != JsonValueKind.False,
            Collaborative = body.TryGetProperty("collaborative", out var col) && col.ValueKind == JsonValueKind.True,
            Description = body.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null,
        };
        lock (Data.Gate)
        {
            Data.Playlists.Add(playlist);
        }

        return Results.Json(PlaylistJson(playlist, user), Json, statusCode: 201);
    }

    private async Task<IResult> AddItemsAsync(HttpContext context, FakeUser user, string id)
    {
        FakePlaylist? playlist;
        lock (Data.Gate)
        {
            playlist = Data.Playlists.FirstOrDefault(p => p.Id == id);
        }

        if (playlist is null)
        {
            return ApiError(404, "Resource not found");
        }

        if (playlist.OwnerId != user.Id && !playlist.Collaborative)
        {
            return ApiError(403, "Forbidden");
        }

        JsonElement body;
        try
        {
            body = (await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted)).RootElement;
        }
        catch (JsonException)
        {
            return ApiError(400, "Error parsing JSON.");
        }

        if (!body.TryGetProperty("uris", out var uris) || uris.ValueKind != JsonValueKind.Array)
        {
            return ApiError(400, "Missing required field: uris");
        }

        if (uris.GetArrayLength() > 100)
        {
            return ApiError(400, "You can add a maximum of 100 tracks per request.");
        }

        var list = uris.EnumerateArray().Select(u => u.GetString() ?? "").ToList();
        if (list.FirstOrDefault(u => !u.StartsWith("spotify:track:", StringComparison.Ordinal) && !u.StartsWith("spotify:episode:", StringComparison.Ordinal)) is { } bad)
        {
            return ApiError(400, $"Invalid track uri: {bad}");
        }

        lock (Data.Gate)
        {
            playlist.Uris.AddRange(list);
            playlist.SnapshotVersion++;
        }

        return Results.Json(new Dictionary<string, object?> { ["snapshot_id"] = $"snap-{playlist.Id}-{playlist.SnapshotVersion}" }, Json, statusCode: 201);
    }

    // ---------------------------------------------------------------- JSON shapes (OpenAPI schemas)

    private Dictionary<string, object?> MeJson(FakeUser user)
    {
        var me = new Dictionary<string, object?>
        {
            ["account_id"] = user.AccountId,
            ["display_name"] = user.DisplayName,
            ["external_urls"] = new Dictionary<string, object?> { ["spotify"] = $"https://open.spotify.com/user/{user.Id}" },
            ["href"] = $"{ApiBaseUrl}/users/{user.Id}",
            ["id"] = user.Id,
            ["images"] = user.ImageUrl is null ? new List<object>() : [new Dictionary<string, object?> { ["url"] = user.ImageUrl, ["height"] = 300, ["width"] = 300 }],
            ["type"] = "user",
            ["uri"] = $"spotify:user:{user.Id}",
        };
        if (Profile == FakeSpotifyProfile.ExtendedQuota)
        {
            me["country"] = user.Country;
            me["email"] = user.Email;
            me["product"] = user.Product;
            me["explicit_content"] = new Dictionary<string, object?> { ["filter_enabled"] = false, ["filter_locked"] = false };
            me["followers"] = new Dictionary<string, object?> { ["href"] = null, ["total"] = 3 };
        }

        return me;
    }

    private Dictionary<string, object?> ArtistRefJson(FakeArtistRef a) => a.Id is null
        ? new() { ["external_urls"] = new Dictionary<string, object?>(), ["href"] = null, ["id"] = null, ["name"] = a.Name, ["type"] = "artist", ["uri"] = null }
        : new()
        {
            ["external_urls"] = new Dictionary<string, object?> { ["spotify"] = $"https://open.spotify.com/artist/{a.Id}" },
            ["href"] = $"{ApiBaseUrl}/artists/{a.Id}", ["id"] = a.Id, ["name"] = a.Name, ["type"] = "artist", ["uri"] = $"spotify:artist:{a.Id}",
        };

    private Dictionary<string, object?> TrackJson(FakeTrack t)
    {
        if (t.IsLocal)
        {
            return new()
            {
                ["album"] = new Dictionary<string, object?>
                {
                    ["album_type"] = null, ["artists"] = new List<object>(), ["available_markets"] = new List<object>(), ["external_urls"] = new Dictionary<string, object?>(),
                    ["href"] = null, ["id"] = null, ["images"] = new List<object>(), ["name"] = t.AlbumName, ["release_date"] = null,
                    ["release_date_precision"] = null, ["type"] = "album", ["uri"] = null,
                },
                ["artists"] = t.Artists.Select(ArtistRefJson).ToList(),
                ["available_markets"] = new List<object>(), ["disc_number"] = 0, ["duration_ms"] = t.DurationMs, ["explicit"] = false,
                ["external_ids"] = new Dictionary<string, object?>(), ["external_urls"] = new Dictionary<string, object?>(), ["href"] = null, ["id"] = null,
                ["is_local"] = true, ["name"] = t.Name, ["popularity"] = 0, ["preview_url"] = null, ["track_number"] = 0, ["type"] = "track", ["uri"] = t.Uri,
            };
        }

        var json = new Dictionary<string, object?>
        {
            ["album"] = new Dictionary<string, object?>
            {
                ["album_type"] = "album",
                ["artists"] = t.Artists.Take(1).Select(ArtistRefJson).ToList(),
                ["external_urls"] = new Dictionary<string, object?> { ["spotify"] = $"https://open.spotify.com/album/{t.AlbumId}" },
                ["href"] = $"{ApiBaseUrl}/albums/{t.AlbumId}",
                ["id"] = t.AlbumId,
                ["images"] = new List<object> { new Dictionary<string, object?> { ["url"] = $"https://i.scdn.co/image/{t.AlbumId}", ["height"] = 640, ["width"] = 640 } },
                ["name"] = t.AlbumName,
                ["release_date"] = t.ReleaseDate,
                ["release_date_precision"] = t.ReleaseDatePrecision,
                ["total_tracks"] = 10,
                ["type"] = "album",
                ["uri"] = $"spotify:album:{t.AlbumId}",
            },
            ["artists"] = t.Artists.Select(ArtistRefJson).ToList(),
            ["disc_number"] = 1,
            ["duration_ms"] = t.DurationMs,
            ["explicit"] = t.Explicit,
            ["external_ids"] = new Dictionary<string, object?> { ["isrc"] = t.Isrc },
            ["external_urls"] = new Dictionary<string, object?> { ["spotify"] = $"https://open.spotify.com/track/{t.Id}" },
            ["href"] = $"{ApiBaseUrl}/tracks/{t.Id}",
            ["id"] = t.Id,
            ["is_local"] = false,
            ["is_playable"] = true,
            ["name"] = t.Name,
            ["preview_url"] = null,
            ["track_number"] = 1,
            ["type"] = "track",
            ["uri"] = t.Uri,
        };
        if (Profile == FakeSpotifyProfile.ExtendedQuota)
        {
            json["popularity"] = t.Popularity;
            json["available_markets"] = new List<string> { "SE", "US", "GB" };
        }

        return json;
    }

    private Dictionary<string, object?> ArtistJson(FakeArtist a)
    {
        var development = Profile == FakeSpotifyProfile.DevelopmentMode;
        var json = new Dictionary<string, object?>
        {
            ["external_urls"] = new Dictionary<string, object?> { ["spotify"] = $"https://open.spotify.com/artist/{a.Id}" },
            ["genres"] = development && a.GenresHiddenInDevelopment ? new List<string>() : a.Genres,
            ["href"] = $"{ApiBaseUrl}/artists/{a.Id}",
            ["id"] = a.Id,
            ["images"] = new List<object>(),
            ["name"] = a.Name,
            ["type"] = "artist",
            ["uri"] = a.Uri,
        };
        if (!development)
        {
            json["popularity"] = a.Popularity;
            json["followers"] = new Dictionary<string, object?> { ["href"] = null, ["total"] = a.Followers };
        }

        return json;
    }

    private Dictionary<string, object?> PlaylistJson(FakePlaylist p, FakeUser owner) => new()
    {
        ["collaborative"] = p.Collaborative,
        ["description"] = p.Description,
        ["external_urls"] = new Dictionary<string, object?> { ["spotify"] = $"https://open.spotify.com/playlist/{p.Id}" },
        ["href"] = $"{ApiBaseUrl}/playlists/{p.Id}",
        ["id"] = p.Id,
        ["images"] = new List<object>(),
        ["name"] = p.Name,
        ["owner"] = new Dictionary<string, object?> { ["id"] = owner.Id, ["display_name"] = owner.DisplayName, ["type"] = "user", ["uri"] = $"spotify:user:{owner.Id}" },
        ["public"] = p.Public,
        ["snapshot_id"] = $"snap-{p.Id}-{p.SnapshotVersion}",
        ["items"] = new Dictionary<string, object?> { ["href"] = $"{ApiBaseUrl}/playlists/{p.Id}/items", ["total"] = p.Uris.Count },
        ["type"] = "playlist",
        ["uri"] = $"spotify:playlist:{p.Id}",
    };

    private static IResult ApiError(int status, string message, string? reason = null)
    {
        var error = new Dictionary<string, object?> { ["status"] = status, ["message"] = message };
        if (reason is not null)
        {
            error["reason"] = reason;
        }

        return Results.Json(new Dictionary<string, object?> { ["error"] = error }, Json, statusCode: status);
    }

    private static Task WriteApiErrorAsync(HttpContext context, int status, string message, string? reason) =>
        ApiError(status, message, reason).ExecuteAsync(context);

    private static int IntQuery(HttpContext context, string name, int defaultValue) =>
        int.TryParse(context.Request.Query[name].ToString(), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : defaultValue;

    private static bool IsBase62Id(string id) => id.Length == 22 && id.All(char.IsAsciiLetterOrDigit);

    private static string NewSecret(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static string Sha256Base64Url(string text) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(text))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record AccessToken(string? UserId, string ClientId, string Scope, DateTimeOffset ExpiresAt, int Uses);

    private sealed record RefreshToken(string UserId, string ClientId, string Scope, DateTimeOffset AuthorizedAt, bool Revoked, bool Pkce);

    private sealed record AuthorizationCode(string UserId, string ClientId, string RedirectUri, string Scope, string? Challenge, DateTimeOffset ExpiresAt);
}

/// <summary>What <c>/api/token</c> answered, for tests that issue tokens directly.</summary>
public sealed record FakeTokenResponse(string AccessToken, string? RefreshToken, int ExpiresIn, string Scope);
