using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Recs.Core.Spotify;

/// <summary>Creates <see cref="SpotifyClient"/>s over the resilient "Spotify" HttpClient for a token source.</summary>
public sealed class SpotifyClientFactory(
    IHttpClientFactory httpClientFactory,
    IOptions<SpotifyOptions> options,
    SpotifyModeCache modes,
    ClientCredentialsTokenSource appTokens,
    TimeProvider time,
    ILoggerFactory loggerFactory)
{
    /// <summary>Name of the Web API HttpClient (resilience + counting handlers).</summary>
    public const string ApiClientName = "Spotify";

    /// <summary>Name of the accounts HttpClient.</summary>
    public const string AccountsClientName = "SpotifyAccounts";

    public SpotifyOptions Options => options.Value;

    /// <summary>A client acting with <paramref name="tokens"/> (e.g. a signed-in user's token source).</summary>
    public SpotifyClient Create(ISpotifyAccessTokenSource tokens) =>
        new(httpClientFactory.CreateClient(ApiClientName), tokens, modes, options.Value, time, loggerFactory.CreateLogger<SpotifyClient>());

    /// <summary>A client with app-only (client credentials) tokens: catalog endpoints, no user data.</summary>
    public SpotifyClient CreateAppOnly() => Create(appTokens);
}
