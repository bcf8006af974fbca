using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recs.Web.Authentication;

/// <summary>What Spotify's token endpoint answered to a refresh.</summary>
public abstract record TokenRefreshOutcome
{
    private TokenRefreshOutcome()
    {
    }

    /// <summary>New tokens. <see cref="RefreshToken"/> is null when Spotify did not send a new one (keep the old one).</summary>
    public sealed record Refreshed(string AccessToken, string? RefreshToken, int ExpiresInSeconds, string? Scope) : TokenRefreshOutcome;

    /// <summary><c>invalid_grant</c>: the refresh token is revoked, already used, or past its six months. Only a new sign-in helps.</summary>
    public sealed record InvalidGrant(string Description) : TokenRefreshOutcome;
}

/// <summary>Thrown when the token endpoint fails in a way a new sign-in would not fix (network, 5xx, invalid_client).</summary>
public sealed class SpotifyTokenRefreshException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Typed client for <c>POST {Spotify:AccountsBaseUrl}/api/token</c> with <c>grant_type=refresh_token</c>.
/// </summary>
/// <remarks>
/// No retry handler on purpose: PKCE refresh tokens are single-use, so re-sending a refresh whose answer was lost
/// would turn a network blip into <c>invalid_grant</c> and sign the user out.
/// </remarks>
public sealed class SpotifyTokenRefreshClient(HttpClient http, SpotifySignInSettings settings)
{
    public async Task<TokenRefreshOutcome> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.TokenEndpoint)
        {
            // client_id in the body as Spotify's PKCE refresh expects; the secret (confidential app) as Basic auth.
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["client_id"] = settings.ClientId,
            }),
        };
        if (settings.ClientSecret.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ClientId}:{settings.ClientSecret}")));
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new SpotifyTokenRefreshException($"Could not reach Spotify's token endpoint {settings.TokenEndpoint}: {ex.Message}", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var tokens = Parse<TokenResponse>(body);
                if (string.IsNullOrEmpty(tokens?.AccessToken))
                {
                    throw new SpotifyTokenRefreshException($"Spotify's token endpoint answered {(int)response.StatusCode} without an access_token.");
                }

                return new TokenRefreshOutcome.Refreshed(
                    tokens.AccessToken, string.IsNullOrEmpty(tokens.RefreshToken) ? null : tokens.RefreshToken, tokens.ExpiresIn ?? 3600, tokens.Scope);
            }

            var error = Parse<ErrorResponse>(body);
            if (response.StatusCode == HttpStatusCode.BadRequest && error?.Error == "invalid_grant")
            {
                return new TokenRefreshOutcome.InvalidGrant(error.Description ?? "invalid_grant");
            }

            throw new SpotifyTokenRefreshException(
                $"Spotify's token endpoint answered {(int)response.StatusCode} {error?.Error} {error?.Description}".TrimEnd());
        }
    }

    private static T? Parse<T>(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn,
        [property: JsonPropertyName("scope")] string? Scope);

    private sealed record ErrorResponse(
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? Description);
}
