using System.Collections.Concurrent;

namespace Recs.Core.Spotify;

/// <summary>
/// Counts every HTTP request sent to Spotify (each retry included) by endpoint template and status, so tests and
/// benchmarks can compare requests made with the minimum the mode allows. Singleton; thread-safe.
/// </summary>
public sealed class SpotifyRequestCounter
{
    /// <summary>Endpoint template of the accounts token endpoint.</summary>
    public const string TokenEndpoint = "POST /api/token";

    private readonly ConcurrentDictionary<(string Endpoint, int Status), int> _counts = new();

    /// <summary>
    /// Names the endpoint template a request is counted under (e.g. <c>GET /artists/{id}</c>); untagged requests
    /// are counted by method and path.
    /// </summary>
    public static void Tag(HttpRequestMessage request, string endpoint) => request.Options.Set(SpotifyCountingHandler.EndpointKey, endpoint);

    /// <summary>Records one request; status 0 means no response (network error or timeout).</summary>
    public void Record(string endpoint, int status) => _counts.AddOrUpdate((endpoint, status), 1, (_, n) => n + 1);

    /// <summary>All requests, token requests included.</summary>
    public int Total => _counts.Values.Sum();

    /// <summary>Web API requests only (everything but the token endpoint).</summary>
    public int ApiTotal => _counts.Where(c => c.Key.Endpoint != TokenEndpoint).Sum(c => c.Value);

    /// <summary>Requests to one endpoint template (e.g. <c>GET /artists/{id}</c>), optionally with one status.</summary>
    public int Count(string endpoint, int? status = null) =>
        _counts.Where(c => c.Key.Endpoint == endpoint && (status is null || c.Key.Status == status)).Sum(c => c.Value);

    /// <summary>A copy of the counts, ordered by endpoint then status.</summary>
    public IReadOnlyList<SpotifyRequestCount> Snapshot() =>
        _counts.Select(c => new SpotifyRequestCount(c.Key.Endpoint, c.Key.Status, c.Value))
            .OrderBy(c => c.Endpoint, StringComparer.Ordinal).ThenBy(c => c.Status).ToList();

    public void Reset() => _counts.Clear();
}

/// <summary>How many requests went to an endpoint template with a status.</summary>
public sealed record SpotifyRequestCount(string Endpoint, int Status, int Count);

/// <summary>
/// Innermost handler of the Spotify clients (inside the resilience handler), so every attempt is counted.
/// The endpoint template travels in the request's options.
/// </summary>
internal sealed class SpotifyCountingHandler(SpotifyRequestCounter counter) : DelegatingHandler
{
    internal static readonly HttpRequestOptionsKey<string> EndpointKey = new("Recs.Spotify.Endpoint");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = request.Options.TryGetValue(EndpointKey, out var e) ? e : $"{request.Method} {request.RequestUri?.AbsolutePath}";
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            counter.Record(endpoint, (int)response.StatusCode);
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            counter.Record(endpoint, 0);
            throw;
        }
    }
}
