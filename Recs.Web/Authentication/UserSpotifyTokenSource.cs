using System.Collections.Concurrent;
using System.Security.Claims;
using Recs.Core.Spotify;

namespace Recs.Web.Authentication;

/// <summary>The result of asking for a user's access token.</summary>
public abstract record UserTokenResult
{
    private UserTokenResult()
    {
    }

    /// <summary>A usable access token (valid for at least a minute more).</summary>
    public sealed record Token(string AccessToken, DateTimeOffset ExpiresAt) : UserTokenResult;

    /// <summary>
    /// The user must sign in again (Spotify answered <c>invalid_grant</c>, or Recs holds no tokens for them).
    /// The UI sends them to <see cref="AuthenticationPaths.SignInExpired"/>.
    /// </summary>
    public sealed record SignInRequired(string Reason) : UserTokenResult;
}

/// <summary>
/// One user's Spotify access token, refreshed a minute before it expires (and on demand after a 401). Concurrent callers
/// for the same user share one refresh. Get it from <see cref="UserSpotifyTokenSources"/>: <c>sources.For(accountId)</c>,
/// and hand it to <see cref="SpotifyClientFactory.Create"/> or <see cref="SpotifyLibraryFetcher"/> as their
/// <see cref="ISpotifyAccessTokenSource"/> (which throws <see cref="SpotifySignInRequiredException"/> for "sign in again").
/// </summary>
public sealed class UserSpotifyTokenSource : ISpotifyAccessTokenSource
{
    /// <summary>Refresh this long before the stored expiry, so a token never dies mid-request.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    private readonly UserTokenStore _store;
    private readonly SpotifyTokenRefreshClient _client;
    private readonly SemaphoreSlim _gate;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal UserSpotifyTokenSource(
        string accountId, UserTokenStore store, SpotifyTokenRefreshClient client, SemaphoreSlim gate, TimeProvider time, ILogger logger)
    {
        AccountId = accountId;
        _store = store;
        _client = client;
        _gate = gate;
        _time = time;
        _logger = logger;
    }

    public string AccountId { get; }

    // The token last handed to a caller through ISpotifyAccessTokenSource: a forced refresh replaces exactly this one.
    private string? _lastIssued;

    /// <summary>A valid access token, refreshing first when it expires within <see cref="RefreshMargin"/>.</summary>
    public Task<UserTokenResult> GetAccessTokenAsync(CancellationToken cancellationToken = default)
        => GetAsync(rejectedAccessToken: null, cancellationToken);

    /// <summary>
    /// After Spotify answered 401 to <paramref name="rejectedAccessToken"/>: a fresh token (refreshing unless another
    /// caller already replaced that token).
    /// </summary>
    public Task<UserTokenResult> RefreshAfterUnauthorizedAsync(string rejectedAccessToken, CancellationToken cancellationToken = default)
        => GetAsync(rejectedAccessToken, cancellationToken);

    /// <inheritdoc />
    async ValueTask<string> ISpotifyAccessTokenSource.GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var rejected = forceRefresh ? _lastIssued ?? (await _store.GetAsync(AccountId, cancellationToken))?.AccessToken : null;
        var token = Unwrap(rejected is null
            ? await GetAccessTokenAsync(cancellationToken)
            : await RefreshAfterUnauthorizedAsync(rejected, cancellationToken));
        _lastIssued = token;
        return token;
    }

    private static string Unwrap(UserTokenResult result) => result switch
    {
        UserTokenResult.Token token => token.AccessToken,
        UserTokenResult.SignInRequired required => throw new SpotifySignInRequiredException(required.Reason),
        _ => throw new InvalidOperationException($"Unexpected token result {result}."),
    };

    private async Task<UserTokenResult> GetAsync(string? rejectedAccessToken, CancellationToken cancellationToken)
    {
        var stored = await _store.GetAsync(AccountId, cancellationToken);
        if (stored is not null && IsUsable(stored, rejectedAccessToken))
        {
            return new UserTokenResult.Token(stored.AccessToken, stored.ExpiresAt);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed while we waited: a second refresh would spend the rotated refresh token.
            stored = await _store.GetAsync(AccountId, cancellationToken);
            if (stored is null)
            {
                return new UserTokenResult.SignInRequired("Recs holds no Spotify tokens for this account");
            }

            if (IsUsable(stored, rejectedAccessToken))
            {
                return new UserTokenResult.Token(stored.AccessToken, stored.ExpiresAt);
            }

            if (stored.RefreshToken is null)
            {
                await _store.ClearAsync(AccountId, cancellationToken);
                return new UserTokenResult.SignInRequired("the access token expired and Spotify gave no refresh token");
            }

            var outcome = await _client.RefreshAsync(stored.RefreshToken, cancellationToken);
            switch (outcome)
            {
                case TokenRefreshOutcome.Refreshed refreshed:
                {
                    var expiresAt = _time.GetUtcNow().AddSeconds(refreshed.ExpiresInSeconds);
                    // PKCE rotation: a new refresh token replaces the old (now revoked) one; none back means keep the old.
                    await _store.SaveAsync(
                        AccountId, refreshed.AccessToken, refreshed.RefreshToken ?? stored.RefreshToken, expiresAt,
                        refreshed.Scope ?? stored.Scope, consentedAt: null, cancellationToken);
                    _logger.LogInformation(
                        "Refreshed the Spotify token of {AccountId} (refresh token {Rotation}).",
                        AccountId, refreshed.RefreshToken is null ? "kept" : "rotated");
                    return new UserTokenResult.Token(refreshed.AccessToken, expiresAt);
                }

                case TokenRefreshOutcome.InvalidGrant invalid:
                    _logger.LogWarning("Spotify refused the refresh token of {AccountId}: {Reason}. Clearing tokens.", AccountId, invalid.Description);
                    await _store.ClearAsync(AccountId, cancellationToken);
                    return new UserTokenResult.SignInRequired(invalid.Description);

                default:
                    throw new InvalidOperationException($"Unexpected refresh outcome {outcome}.");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsUsable(StoredUserToken stored, string? rejectedAccessToken)
        => stored.ExpiresAt - RefreshMargin > _time.GetUtcNow()
           && (rejectedAccessToken is null || !string.Equals(stored.AccessToken, rejectedAccessToken, StringComparison.Ordinal));
}

/// <summary>
/// Hands out per-user token sources (singleton; safe from Blazor circuits, endpoints and background jobs):
/// <c>sources.For(user)</c> or <c>sources.For(accountId)</c>.
/// </summary>
public sealed class UserSpotifyTokenSources(
    UserTokenStore store, IServiceProvider services, TimeProvider time, ILogger<UserSpotifyTokenSource> logger)
{
    // One gate per account: refreshes for one user are serialised, different users refresh in parallel.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public UserSpotifyTokenSource For(string accountId)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        return new UserSpotifyTokenSource(
            accountId, store, services.GetRequiredService<SpotifyTokenRefreshClient>(), _gates.GetOrAdd(accountId, _ => new SemaphoreSlim(1, 1)),
            time, logger);
    }

    /// <summary>The signed-in user's token source; throws for anonymous users.</summary>
    public UserSpotifyTokenSource For(ClaimsPrincipal user)
        => For(user.GetAccountId() ?? throw new InvalidOperationException("No signed-in user: Spotify tokens belong to a signed-in user."));
}
