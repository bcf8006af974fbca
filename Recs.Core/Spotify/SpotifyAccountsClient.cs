using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Options;

namespace Recs.Core.Spotify;

/// <summary>
/// The accounts service's token endpoint (<c>POST {AccountsBaseUrl}/api/token</c>): client credentials, refresh,
/// and the code exchange. Authenticates the app with a Basic header as Spotify documents.
/// </summary>
public sealed class SpotifyAccountsClient(HttpClient http, IOptions<SpotifyOptions> options)
{
    private readonly SpotifyOptions _options = options.Value;

    /// <summary>An app-only token (no user data, catalog endpoints only).</summary>
    public Task<SpotifyTokenResponse> RequestClientCredentialsTokenAsync(CancellationToken cancellationToken) =>
        PostAsync([new("grant_type", "client_credentials")], cancellationToken);

    /// <summary>
    /// Refreshes a user's token. The answer may carry a new refresh token (rotation: the old one is then revoked)
    /// or none (keep the old one). <c>invalid_grant</c> throws <see cref="SpotifySignInRequiredException"/>.
    /// </summary>
    public Task<SpotifyTokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        PostAsync([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)], cancellationToken);

    /// <summary>Exchanges an authorization code (with its PKCE verifier when one was used).</summary>
    public Task<SpotifyTokenResponse> ExchangeCodeAsync(string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> form = [new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", redirectUri)];
        if (codeVerifier is not null)
        {
            form.Add(new("code_verifier", codeVerifier));
        }

        return PostAsync(form, cancellationToken);
    }

    private async Task<SpotifyTokenResponse> PostAsync(List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        if (!_options.HasCredentials)
        {
            throw new InvalidOperationException(
                $"Spotify is not configured: set {SpotifyOptions.SectionName}:ClientId and {SpotifyOptions.SectionName}:ClientSecret " +
                "(user-secrets, environment variables Spotify__ClientId/Spotify__ClientSecret, or --Spotify:ClientId=… on the command line).");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _options.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.ClientId}:{_options.ClientSecret}")));
        SpotifyRequestCounter.Tag(request, SpotifyRequestCounter.TokenEndpoint);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadFromJsonAsync(SpotifyJsonContext.Default.SpotifyTokenResponse, cancellationToken)
                ?? throw new SpotifyAccountsException((int)response.StatusCode, "empty_response", "the token endpoint answered no body");
        }

        SpotifyTokenError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync(SpotifyJsonContext.Default.SpotifyTokenError, cancellationToken);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not the RFC 6749 shape (e.g. a proxy's HTML page): reported by status below.
        }

        if (error?.Error == "invalid_grant")
        {
            throw new SpotifySignInRequiredException(error.ErrorDescription);
        }

        throw new SpotifyAccountsException((int)response.StatusCode, error?.Error ?? "http_error", error?.ErrorDescription ?? response.ReasonPhrase);
    }
}
