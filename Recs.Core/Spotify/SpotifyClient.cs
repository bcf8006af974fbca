using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Recs.Core.Spotify;

/// <summary>
/// The Spotify Web API endpoints Recs uses, for one token source (a user or the app). Follows <c>next</c> links,
/// batches ids where the mode allows and falls back to single-item lookups in Development Mode, refreshes once on
/// 401, and turns a quota 429 into <see cref="SpotifyQuotaExceededException"/> instead of sleeping for hours.
/// Transient failures (5xx, 408, short 429) are retried by the resilience handler beneath it.
/// Create one through <see cref="SpotifyClientFactory"/>.
/// </summary>
public sealed class SpotifyClient
{
    /// <summary>Most ids a batch endpoint takes.</summary>
    public const int MaxBatchSize = 50;

    /// <summary>Page size of <c>/me/tracks</c>.</summary>
    public const int SavedTracksPageSize = 50;

    /// <summary>Most URIs <c>POST /playlists/{id}/items</c> takes.</summary>
    public const int MaxPlaylistItemsPerRequest = 100;

    private readonly HttpClient _http;
    private readonly ISpotifyAccessTokenSource _tokens;
    private readonly SpotifyModeCache _modes;
    private readonly SpotifyOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SpotifyClient(HttpClient http, ISpotifyAccessTokenSource tokens, SpotifyModeCache modes, SpotifyOptions options, TimeProvider time, ILogger<SpotifyClient> logger)
    {
        _http = http;
        _tokens = tokens;
        _modes = modes;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The app's mode as detected so far (cached per client id); <see cref="SpotifyMode.Unknown"/> until a batch call tells.</summary>
    public SpotifyMode Mode => _modes.Get(_options.ClientId, _options.ApiBase);

    /// <summary><c>GET /me</c>: the signed-in user (<c>account_id</c> where Spotify gives it).</summary>
    public async Task<SpotifyUser> GetMeAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{_options.ApiBase}/me", "GET /me", null, cancellationToken);
        return await ReadAsync(response, SpotifyJsonContext.Default.SpotifyUser, "GET /me", cancellationToken);
    }

    /// <summary>
    /// One page of <c>GET /me/tracks</c> (50 items). Pass null for the first page, then the previous page's
    /// <see cref="SpotifyPage{T}.Next"/> until it is null.
    /// </summary>
    public async Task<SpotifyPage<SpotifySavedTrack>> GetSavedTracksPageAsync(string? next, CancellationToken cancellationToken)
    {
        var url = next ?? $"{_options.ApiBase}/me/tracks?limit={SavedTracksPageSize}&offset=0";
        // The token must only ever go to the configured API: a next link elsewhere is refused, not followed.
        if (!url.StartsWith(_options.ApiBase + "/", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Spotify's next link '{url}' is not under {_options.ApiBase}; refusing to send the token there.");
        }

        using var response = await SendAsync(HttpMethod.Get, url, "GET /me/tracks", null, cancellationToken);
        return await ReadAsync(response, SpotifyJsonContext.Default.SpotifyPageSpotifySavedTrack, "GET /me/tracks", cancellationToken);
    }

    /// <summary>Every page of the user's saved tracks, following <c>next</c>.</summary>
    public async IAsyncEnumerable<SpotifyPage<SpotifySavedTrack>> GetAllSavedTracksAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            var page = await GetSavedTracksPageAsync(next, cancellationToken);
            yield return page;
            next = page.Next;
        }
        while (next is not null);
    }

    /// <summary>
    /// Tracks by id: <c>GET /tracks?ids=</c> in batches of 50 in Extended Quota, <c>GET /tracks/{id}</c> one by one in
    /// Development Mode (detected by the first batch answering 403). Ids Spotify does not know are left out.
    /// </summary>
    /// <param name="onFound">Called for each track as it arrives, so a caller keeps what came before an interruption.</param>
    public Task<IReadOnlyList<SpotifyTrack>> GetTracksAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken, Action<SpotifyTrack>? onFound = null) =>
        LookupAsync(ids, "tracks", SpotifyJsonContext.Default.SpotifyTracksResponse, r => r.Tracks, SpotifyJsonContext.Default.SpotifyTrack, onFound, cancellationToken);

    /// <summary>Artists by id, batched or single as for <see cref="GetTracksAsync"/>.</summary>
    /// <param name="onFound">Called for each artist as it arrives, so a caller keeps what came before an interruption.</param>
    public Task<IReadOnlyList<SpotifyArtist>> GetArtistsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken, Action<SpotifyArtist>? onFound = null) =>
        LookupAsync(ids, "artists", SpotifyJsonContext.Default.SpotifyArtistsResponse, r => r.Artists, SpotifyJsonContext.Default.SpotifyArtist, onFound, cancellationToken);

    /// <summary>Creates a private playlist for the signed-in user (<c>POST /me/playlists</c>; never touches existing playlists).</summary>
    public async Task<SpotifyPlaylist> CreatePlaylistAsync(string name, string? description, CancellationToken cancellationToken)
    {
        var body = new SpotifyCreatePlaylistRequest(name, Public: false, Collaborative: false, description);
        using var response = await SendAsync(HttpMethod.Post, $"{_options.ApiBase}/me/playlists", "POST /me/playlists",
            () => JsonContent.Create(body, SpotifyJsonContext.Default.SpotifyCreatePlaylistRequest), cancellationToken);
        return await ReadAsync(response, SpotifyJsonContext.Default.SpotifyPlaylist, "POST /me/playlists", cancellationToken);
    }

    /// <summary>Adds track URIs to a playlist, 100 per request (<c>POST /playlists/{id}/items</c>); returns the last snapshot id.</summary>
    public async Task<string?> AddPlaylistItemsAsync(string playlistId, IReadOnlyList<string> uris, CancellationToken cancellationToken)
    {
        string? snapshot = null;
        foreach (var chunk in uris.Chunk(MaxPlaylistItemsPerRequest))
        {
            var body = new SpotifyAddItemsRequest(chunk);
            using var response = await SendAsync(HttpMethod.Post, $"{_options.ApiBase}/playlists/{Uri.EscapeDataString(playlistId)}/items",
                "POST /playlists/{id}/items", () => JsonContent.Create(body, SpotifyJsonContext.Default.SpotifyAddItemsRequest), cancellationToken);
            snapshot = (await ReadAsync(response, SpotifyJsonContext.Default.SpotifySnapshot, "POST /playlists/{id}/items", cancellationToken)).SnapshotId;
        }

        return snapshot;
    }

    private async Task<IReadOnlyList<T>> LookupAsync<T, TBatch>(IReadOnlyCollection<string> ids, string resource, JsonTypeInfo<TBatch> batchType,
        Func<TBatch, IReadOnlyList<T?>> items, JsonTypeInfo<T> singleType, Action<T>? onFound, CancellationToken cancellationToken)
        where T : class
    {
        var pending = ids.Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal).ToList();
        var found = new List<T>(pending.Count);
        var batchEndpoint = $"GET /{resource}";
        var singleEndpoint = $"GET /{resource}/{{id}}";
        var i = 0;
        while (i < pending.Count)
        {
            if (Mode != SpotifyMode.Development)
            {
                var chunk = pending.Skip(i).Take(MaxBatchSize).ToList();
                var url = $"{_options.ApiBase}/{resource}?ids={string.Join(',', chunk.Select(Uri.EscapeDataString))}";
                using var response = await SendAsync(HttpMethod.Get, url, batchEndpoint, null, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Forbidden)
                {
                    // Development Mode removed the batch endpoints (2026): remember it for this app and go one by one.
                    _logger.LogInformation("Spotify answered 403 to {Endpoint}: Development Mode, falling back to single-item lookups", batchEndpoint);
                    _modes.Set(_options.ClientId, _options.ApiBase, SpotifyMode.Development);
                    continue;
                }

                var batch = await ReadAsync(response, batchType, batchEndpoint, cancellationToken);
                _modes.Set(_options.ClientId, _options.ApiBase, SpotifyMode.Extended);
                foreach (var item in items(batch).OfType<T>())
                {
                    found.Add(item);
                    onFound?.Invoke(item);
                }

                i += chunk.Count;
                continue;
            }

            var id = pending[i++];
            using var single = await SendAsync(HttpMethod.Get, $"{_options.ApiBase}/{resource}/{Uri.EscapeDataString(id)}", singleEndpoint, null, cancellationToken);
            if (single.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
            {
                // Unknown or malformed id: a batch would answer null for it; leave it out the same way.
                continue;
            }

            var one = await ReadAsync(single, singleType, singleEndpoint, cancellationToken);
            found.Add(one);
            onFound?.Invoke(one);
        }

        return found;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string endpoint, Func<HttpContent>? content, CancellationToken cancellationToken)
    {
        var token = await _tokens.GetAccessTokenAsync(forceRefresh: false, cancellationToken);
        var response = await SendOnceAsync(method, url, endpoint, content, token, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // One refresh and one retry with the NEW token (the classic failure is refreshing but resending the stale one).
        response.Dispose();
        _logger.LogInformation("Spotify answered 401 to {Endpoint}; refreshing the access token once", endpoint);
        var fresh = await _tokens.GetAccessTokenAsync(forceRefresh: true, cancellationToken);
        return await SendOnceAsync(method, url, endpoint, content, fresh, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string url, string endpoint, Func<HttpContent>? content, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content?.Invoke() };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        SpotifyRequestCounter.Tag(request, endpoint);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string endpoint, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, endpoint, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync(type, cancellationToken)
            ?? throw new SpotifyApiException((int)response.StatusCode, "empty body", null, endpoint);
    }

    private async Task<Exception> ToExceptionAsync(HttpResponseMessage response, string endpoint, CancellationToken cancellationToken)
    {
        SpotifyError? error = null;
        try
        {
            error = (await response.Content.ReadFromJsonAsync(SpotifyJsonContext.Default.SpotifyErrorBody, cancellationToken))?.Error;
        }
        catch (JsonException)
        {
            // A non-Spotify body (proxy page); the status still says what happened.
        }

        var status = (int)response.StatusCode;
        if (status == 429)
        {
            var retryAfter = SpotifyRetryAfter.From(response, _time) ?? (error?.Reason == SpotifyRetryAfter.QuotaExceeded ? TimeSpan.FromHours(1) : _options.MaxRetryAfter);
            var until = _time.GetUtcNow() + retryAfter;
            _logger.LogWarning("Spotify answered 429 {Reason} to {Endpoint}: pausing until {Until:u}", error?.Reason, endpoint, until);
            return new SpotifyQuotaExceededException(until, retryAfter, error?.Reason, endpoint);
        }

        return new SpotifyApiException(status, error?.Message ?? response.ReasonPhrase, error?.Reason, endpoint);
    }
}

/// <summary>Reads Spotify's Retry-After and recognises the quota answer.</summary>
internal static class SpotifyRetryAfter
{
    public const string QuotaExceeded = "QUOTA_EXCEEDED";

    public static TimeSpan? From(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>
    /// Whether the resilience handler may retry a 429 itself: only a short, ordinary rate limit. The quota (and any
    /// Retry-After longer than <paramref name="maxRetryAfter"/>) must surface so the job pauses instead of sleeping.
    /// </summary>
    public static async ValueTask<bool> IsShortRateLimitAsync(HttpResponseMessage response, TimeSpan maxRetryAfter, TimeProvider time, CancellationToken cancellationToken)
    {
        if (From(response, time) is { } retryAfter && retryAfter > maxRetryAfter)
        {
            return false;
        }

        // The body is buffered, so reading it here leaves it readable for the client.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return !body.Contains(QuotaExceeded, StringComparison.Ordinal);
    }
}
