using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recs.Core.Persistence;
using Recs.Core.Spotify;

namespace Recs.Tests.TestSupport.FakeSpotify;

/// <summary>
/// The real Spotify services (<c>AddSpotify()</c>: resilience, counting, mode cache) pointed at a fake server, over a
/// test database, with short retry delays so fault tests stay fast.
/// </summary>
public sealed class SpotifyTestServices : IDisposable
{
    private readonly IHost _host;

    private SpotifyTestServices(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;
    public SpotifyClientFactory Clients => Services.GetRequiredService<SpotifyClientFactory>();
    public SpotifyRequestCounter Counter => Services.GetRequiredService<SpotifyRequestCounter>();
    public SpotifyAccountsClient Accounts => Services.GetRequiredService<SpotifyAccountsClient>();
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static SpotifyTestServices Create(FakeSpotifyServer spotify, IDbContextFactory<RecsDbContext>? database = null,
        IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Spotify:ClientId"] = spotify.ClientId,
            ["Spotify:ClientSecret"] = spotify.ClientSecret,
            ["Spotify:AccountsBaseUrl"] = spotify.AccountsBaseUrl,
            ["Spotify:ApiBaseUrl"] = spotify.ApiBaseUrl,
            ["Spotify:RetryBaseDelay"] = "00:00:00.010",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        if (database is not null)
        {
            builder.Services.AddSingleton(database);
        }

        builder.AddSpotify();
        return new SpotifyTestServices(builder.Build());
    }

    /// <summary>A user token source like the web host's: refreshes on expiry or 401 and keeps the rotated refresh token.</summary>
    public TestUserTokenSource UserTokens(FakeSpotifyServer spotify, string userId) =>
        new(Accounts, spotify.IssueUserTokens(userId), Get<TimeProvider>());

    public void Dispose() => _host.Dispose();
}

/// <summary>A per-user <see cref="ISpotifyAccessTokenSource"/> as h-auth's store behaves: refresh with rotation.</summary>
public sealed class TestUserTokenSource(SpotifyAccountsClient accounts, FakeTokenResponse initial, TimeProvider time) : ISpotifyAccessTokenSource
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string _access = initial.AccessToken;
    private string _refresh = initial.RefreshToken!;
    private DateTimeOffset _expiresAt = time.GetUtcNow().AddSeconds(initial.ExpiresIn);

    public int Refreshes { get; private set; }
    public List<string> IssuedTokens { get; } = [initial.AccessToken];

    public async ValueTask<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var seen = _access;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_access != seen || (!forceRefresh && time.GetUtcNow() < _expiresAt))
            {
                return _access;
            }

            var response = await accounts.RefreshAsync(_refresh, cancellationToken);
            _access = response.AccessToken;
            _refresh = response.RefreshToken ?? _refresh;
            _expiresAt = time.GetUtcNow().AddSeconds(response.ExpiresIn);
            Refreshes++;
            IssuedTokens.Add(_access);
            return _access;
        }
        finally
        {
            _gate.Release();
        }
    }
}
