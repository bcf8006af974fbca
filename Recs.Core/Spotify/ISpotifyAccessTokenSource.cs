namespace Recs.Core.Spotify;

/// <summary>
/// Where a <see cref="SpotifyClient"/> gets its bearer token: app-only (<see cref="ClientCredentialsTokenSource"/>)
/// or a signed-in user's stored tokens (implemented by the web host's authentication).
/// </summary>
public interface ISpotifyAccessTokenSource
{
    /// <summary>
    /// A valid access token. Implementations refresh before expiry on their own; with <paramref name="forceRefresh"/>
    /// the API has just answered 401 to the token last returned, so a new one must be fetched (never the same one).
    /// Throws <see cref="SpotifySignInRequiredException"/> when the refresh token is no longer accepted (<c>invalid_grant</c>).
    /// </summary>
    ValueTask<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}
