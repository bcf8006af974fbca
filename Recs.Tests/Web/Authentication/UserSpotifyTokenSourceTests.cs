using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core.Spotify;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeSpotify;
using Recs.Web.Authentication;

namespace Recs.Tests.Web.Authentication;

public sealed class UserSpotifyTokenSourceTests : IAsyncLifetime
{
    private FakeSpotifyServer _spotify = null!;
    private RecsWebFactory _factory = null!;
    private AppClient _client = null!;

    private UserTokenStore Store => _factory.Services.GetRequiredService<UserTokenStore>();
    private UserSpotifyTokenSource Source => _factory.Services.GetRequiredService<UserSpotifyTokenSources>().For("acc-1");

    public async Task InitializeAsync()
    {
        _spotify = await FakeSpotifyServer.StartAsync();
        _spotify.AddUser("listener", "Test Listener", accountId: "acc-1");
        _factory = new RecsWebFactory().WithFakeSpotify(_spotify);
        _client = AppClient.Create(_factory);
        await _client.SignInWithSpotifyAsync(_spotify, "listener");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _spotify.DisposeAsync();
    }

    [Fact]
    public async Task AFreshTokenIsReturnedWithoutCallingSpotify()
    {
        var before = await Store.GetAsync("acc-1");

        var result = await Source.GetAccessTokenAsync();

        Assert.Equal(before!.AccessToken, Assert.IsType<UserTokenResult.Token>(result).AccessToken);
        Assert.DoesNotContain("refresh_token", _spotify.TokenGrants);
    }

    [Fact]
    public async Task ATokenExpiringWithinAMinuteIsRefreshedAndTheRotatedRefreshTokenReplacesTheRevokedOne()
    {
        var old = await ExpireSoonAsync();

        var result = Assert.IsType<UserTokenResult.Token>(await Source.GetAccessTokenAsync());
        var stored = await Store.GetAsync("acc-1");

        Assert.NotEqual(old.AccessToken, result.AccessToken);
        Assert.Equal(result.AccessToken, stored!.AccessToken);
        Assert.NotEqual(old.RefreshToken, stored.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await SpotifySignInTests.CallMeAsync(_spotify, result.AccessToken)).StatusCode);
        // The fake revoked the old refresh token (single-use under PKCE): only the stored new one works now.
        Assert.Contains("Refresh token revoked", await RefreshDirectlyAsync(old.RefreshToken!));
        Assert.Equal(old.ConsentedAt, stored.ConsentedAt);
    }

    [Fact]
    public async Task WhenSpotifySendsNoNewRefreshTokenTheOldOneIsKeptAndStillWorks()
    {
        _spotify.RotateRefreshTokens = false;
        var old = await ExpireSoonAsync();

        var first = Assert.IsType<UserTokenResult.Token>(await Source.GetAccessTokenAsync());
        Assert.Equal(old.RefreshToken, (await Store.GetAsync("acc-1"))!.RefreshToken);
        await ExpireSoonAsync();
        var second = Assert.IsType<UserTokenResult.Token>(await Source.GetAccessTokenAsync());

        Assert.NotEqual(old.AccessToken, first.AccessToken);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.Equal(2, _spotify.TokenGrants.Count(g => g == "refresh_token"));
    }

    [Fact]
    public async Task EveryRequestTheAppSendsToSpotifyIsCountedTheSignInAndTheRefreshIncluded()
    {
        await ExpireSoonAsync();
        Assert.IsType<UserTokenResult.Token>(await Source.GetAccessTokenAsync());

        var counter = _factory.Services.GetRequiredService<SpotifyRequestCounter>();
        // The fake's log also holds the browser's visit to /authorize, which the app does not send.
        var sentByApp = _spotify.Requests.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal) || r.Path.StartsWith("/v1/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, counter.Count(SpotifyRequestCounter.TokenEndpoint, 200)); // the sign-in's code exchange and the refresh
        Assert.Equal(1, counter.Count("GET /me", 200)); // the sign-in's profile
        Assert.Equal(sentByApp.Count, counter.Total);
    }

    [Fact]
    public async Task ConcurrentCallersForOneUserShareASingleRefresh()
    {
        await ExpireSoonAsync();
        var sources = _factory.Services.GetRequiredService<UserSpotifyTokenSources>();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => sources.For("acc-1").GetAccessTokenAsync())));

        Assert.Single(_spotify.TokenGrants, g => g == "refresh_token");
        Assert.Single(results.Select(r => Assert.IsType<UserTokenResult.Token>(r).AccessToken).Distinct());
    }

    [Fact]
    public async Task AfterA401TheRejectedTokenIsRefreshedOnceEvenWhenSeveralCallersReportIt()
    {
        var rejected = (await Store.GetAsync("acc-1"))!.AccessToken;

        var first = Assert.IsType<UserTokenResult.Token>(await Source.RefreshAfterUnauthorizedAsync(rejected));
        var second = Assert.IsType<UserTokenResult.Token>(await Source.RefreshAfterUnauthorizedAsync(rejected));

        Assert.NotEqual(rejected, first.AccessToken);
        Assert.Equal(first.AccessToken, second.AccessToken);
        Assert.Single(_spotify.TokenGrants, g => g == "refresh_token");
    }

    [Fact]
    public async Task InvalidGrantClearsTheTokensAndAsksTheUserToSignInAgain()
    {
        _spotify.ExpireConsent("listener");
        await ExpireSoonAsync();

        var result = await Source.GetAccessTokenAsync();

        Assert.Contains("expired", Assert.IsType<UserTokenResult.SignInRequired>(result).Reason);
        Assert.Null(await Store.GetAsync("acc-1"));
        // The session ends with it: pages send the user to sign in with the reason shown, API callers get 401.
        var page = await _client.Http.GetAsync("/admin/accounts");
        Assert.Equal("/signin?returnUrl=%2Fadmin%2Faccounts&reason=expired", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.Http.GetAsync("/authentication/me")).StatusCode);
    }

    [Fact]
    public async Task TheSpotifyClientRefreshesTheUsersTokenMidJobAfterA401AndKeepsGoing()
    {
        var client = _factory.Services.GetRequiredService<SpotifyClientFactory>().Create(Source);
        var old = (await Store.GetAsync("acc-1"))!;
        await client.GetMeAsync(CancellationToken.None);

        // Spotify expires the token early (a long job an hour in): the client gets 401 and refreshes once through the source.
        _spotify.ExpireAccessTokens();
        var me = await client.GetMeAsync(CancellationToken.None);
        var stored = (await Store.GetAsync("acc-1"))!;

        Assert.Equal("Test Listener", me.DisplayName);
        Assert.Single(_spotify.TokenGrants, g => g == "refresh_token");
        Assert.NotEqual(old.AccessToken, stored.AccessToken);
        Assert.NotEqual(old.RefreshToken, stored.RefreshToken);
    }

    [Fact]
    public async Task TheSpotifyClientSurfacesInvalidGrantAsSignInRequired()
    {
        var client = _factory.Services.GetRequiredService<SpotifyClientFactory>().Create(Source);
        _spotify.ExpireConsent("listener");
        _spotify.ExpireAccessTokens();

        await Assert.ThrowsAsync<SpotifySignInRequiredException>(() => client.GetMeAsync(CancellationToken.None));

        Assert.Null(await Store.GetAsync("acc-1"));
    }

    [Fact]
    public async Task AnExpiredSessionLandsOnTheSignInPageWithTheSignInAgainMessage()
    {
        _spotify.ExpireConsent("listener");
        await ExpireSoonAsync();
        await Source.GetAccessTokenAsync();

        var expired = await _client.Http.GetAsync(AuthenticationPaths.SignInExpired("/library"));
        var page = System.Net.WebUtility.HtmlDecode(await _client.Http.GetStringAsync(expired.Headers.Location!.OriginalString));

        Assert.Equal("/signin?returnUrl=%2Flibrary&reason=expired", expired.Headers.Location!.OriginalString);
        Assert.Contains("Your Spotify sign-in expired — sign in again.", page);
        Assert.Contains("Sign in with Spotify", page);
    }

    [Fact]
    public async Task TheExpiredLinkDoesNotSignOutAUserWhoseTokensStillWork()
    {
        var response = await _client.Http.GetAsync(AuthenticationPaths.SignInExpired("/library"));

        Assert.Equal("/library", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await _client.Http.GetAsync("/authentication/me")).StatusCode);
    }

    private async Task<StoredUserToken> ExpireSoonAsync()
    {
        var stored = (await Store.GetAsync("acc-1"))!;
        await Store.SaveAsync(stored.AccountId, stored.AccessToken, stored.RefreshToken, DateTimeOffset.UtcNow.AddSeconds(30), stored.Scope, stored.ConsentedAt);
        return stored;
    }

    private async Task<string> RefreshDirectlyAsync(string refreshToken)
    {
        using var http = new HttpClient();
        var response = await http.PostAsync(_spotify.AccountsBaseUrl + "/api/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
            ["client_id"] = _spotify.ClientId, ["client_secret"] = _spotify.ClientSecret,
        }));
        return await response.Content.ReadAsStringAsync();
    }
}
