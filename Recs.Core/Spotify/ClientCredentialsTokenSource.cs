namespace Recs.Core.Spotify;

/// <summary>
/// App-only tokens (client credentials) for admin jobs and the CLI: cached until a minute before expiry, renewed on
/// demand and after a 401. Thread-safe; one per process.
/// </summary>
public sealed class ClientCredentialsTokenSource(SpotifyAccountsClient accounts, TimeProvider time) : ISpotifyAccessTokenSource
{
    private static readonly TimeSpan ExpirySkew = TimeSpan.FromSeconds(60);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _expiresAt;

    public async ValueTask<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var seen = _token;
        if (!forceRefresh && seen is not null && time.GetUtcNow() < _expiresAt)
        {
            return seen;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have renewed while this one waited: a forced refresh only needs a token other than the failed one.
            if (_token is not null && _token != seen && time.GetUtcNow() < _expiresAt)
            {
                return _token;
            }

            if (!forceRefresh && _token is not null && time.GetUtcNow() < _expiresAt)
            {
                return _token;
            }

            var response = await accounts.RequestClientCredentialsTokenAsync(cancellationToken);
            _token = response.AccessToken;
            var lifetime = TimeSpan.FromSeconds(response.ExpiresIn);
            _expiresAt = time.GetUtcNow() + (lifetime > ExpirySkew * 2 ? lifetime - ExpirySkew : lifetime / 2);
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }
}
