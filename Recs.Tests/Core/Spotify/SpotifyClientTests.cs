using Microsoft.Extensions.Time.Testing;
using Recs.Core.Spotify;
using Recs.Tests.TestSupport.FakeSpotify;

namespace Recs.Tests.Core.Spotify;

public sealed class SpotifyClientTests
{
    [Fact]
    public async Task ExtendedQuotaLooksUpTracksInBatchesOfFiftyWithPopularity()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.ExtendedQuota);
        var tracks = spotify.Data.GenerateCatalog(120, 30);
        using var services = SpotifyTestServices.Create(spotify);
        var client = services.Clients.CreateAppOnly();

        var found = await client.GetTracksAsync(tracks.Select(t => t.Id!).Append("0000000000000000000000").ToList(), CancellationToken.None);

        Assert.Equal(120, found.Count);
        Assert.All(found, t => Assert.NotNull(t.Popularity));
        Assert.Equal(SpotifyMode.Extended, client.Mode);
        Assert.Equal(3, services.Counter.Count("GET /tracks", 200));
        Assert.Equal(3, spotify.RequestsTo("/v1/tracks").Count);
    }

    [Fact]
    public async Task DevelopmentModeIsDetectedOnceThenTracksAreLookedUpOneByOne()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.DevelopmentMode);
        var tracks = spotify.Data.GenerateCatalog(6, 3);
        using var services = SpotifyTestServices.Create(spotify);
        var client = services.Clients.CreateAppOnly();

        var first = await client.GetTracksAsync(tracks.Take(3).Select(t => t.Id!).ToList(), CancellationToken.None);
        var second = await services.Clients.CreateAppOnly().GetTracksAsync(tracks.Skip(3).Select(t => t.Id!).ToList(), CancellationToken.None);

        Assert.Equal(3, first.Count);
        Assert.Equal(3, second.Count);
        Assert.All(first.Concat(second), t => Assert.Null(t.Popularity));
        Assert.Equal(SpotifyMode.Development, client.Mode);
        Assert.Equal(1, services.Counter.Count("GET /tracks", 403));
        Assert.Equal(6, services.Counter.Count("GET /tracks/{id}", 200));
    }

    [Fact]
    public async Task AnOrdinaryRateLimitIsRetriedAfterItsRetryAfter()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser();
        spotify.Faults.Enqueue(FakeFault.RateLimited(retryAfterSeconds: 1));
        using var services = SpotifyTestServices.Create(spotify);

        var me = await services.Clients.Create(services.UserTokens(spotify, user.Id)).GetMeAsync(CancellationToken.None);

        Assert.Equal(user.AccountId, me.StableId);
        var log = spotify.RequestsTo("/v1/me");
        Assert.Equal([429, 200], log.Select(r => r.Status));
        Assert.True(log[1].At - log[0].At >= TimeSpan.FromSeconds(0.95), $"retried after {(log[1].At - log[0].At).TotalSeconds:0.00} s, Retry-After was 1 s");
    }

    [Fact]
    public async Task QuotaExceededSurfacesAsAPauseWithoutRetryingOrSleeping()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var track = spotify.Data.GenerateCatalog(1, 1)[0];
        spotify.Faults.Enqueue(FakeFault.QuotaExceeded(retryAfterSeconds: 48_925));
        using var services = SpotifyTestServices.Create(spotify);
        var before = DateTimeOffset.UtcNow;

        var ex = await Assert.ThrowsAsync<SpotifyQuotaExceededException>(() =>
            services.Clients.CreateAppOnly().GetTracksAsync([track.Id!], CancellationToken.None));

        Assert.True(ex.IsQuota);
        Assert.Equal(TimeSpan.FromSeconds(48_925), ex.RetryAfter);
        Assert.InRange(ex.PausedUntil, before.AddSeconds(48_925), DateTimeOffset.UtcNow.AddSeconds(48_925));
        Assert.Single(spotify.ApiRequests);
    }

    [Fact]
    public async Task AServerErrorIsRetriedWithBackoff()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser();
        spotify.Faults.FailNth("/v1/me", 1, FakeFault.ServerError(502), times: 2);
        using var services = SpotifyTestServices.Create(spotify);

        await services.Clients.Create(services.UserTokens(spotify, user.Id)).GetMeAsync(CancellationToken.None);

        Assert.Equal([502, 502, 200], spotify.RequestsTo("/v1/me").Select(r => r.Status));
    }

    [Fact]
    public async Task AnExpiredTokenIsRefreshedOnceAndTheRequestRetriedWithTheNewToken()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser();
        using var services = SpotifyTestServices.Create(spotify);
        var tokens = services.UserTokens(spotify, user.Id);
        spotify.Faults.Enqueue(FakeFault.ExpiredToken());

        await services.Clients.Create(tokens).GetMeAsync(CancellationToken.None);

        var log = spotify.RequestsTo("/v1/me");
        Assert.Equal([401, 200], log.Select(r => r.Status));
        Assert.Equal(1, tokens.Refreshes);
        Assert.Equal(tokens.IssuedTokens[0], log[0].Token);
        Assert.Equal(tokens.IssuedTokens[1], log[1].Token);
    }

    [Fact]
    public async Task AppOnlyTokensAreRenewedBeforeTheyExpireWithoutA401()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.ExtendedQuota);
        var tracks = spotify.Data.GenerateCatalog(2, 1);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        spotify.Time = clock;
        using var services = SpotifyTestServices.Create(spotify, time: clock);
        var client = services.Clients.CreateAppOnly();

        await client.GetTracksAsync([tracks[0].Id!], CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(59.5));
        await client.GetTracksAsync([tracks[1].Id!], CancellationToken.None);

        Assert.Equal(2, spotify.TokenGrants.Count(g => g == "client_credentials"));
        Assert.DoesNotContain(spotify.ApiRequests, r => r.Status == 401);
        Assert.NotEqual(spotify.ApiRequests[0].Token, spotify.ApiRequests[1].Token);
    }

    [Fact]
    public async Task ASecond401AfterTheRefreshIsAnErrorNotALoop()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser();
        using var services = SpotifyTestServices.Create(spotify);
        var tokens = services.UserTokens(spotify, user.Id);
        spotify.Faults.FailNth("/v1/me", 1, FakeFault.ExpiredToken(), times: 2);

        var ex = await Assert.ThrowsAsync<SpotifyApiException>(() => services.Clients.Create(tokens).GetMeAsync(CancellationToken.None));

        Assert.Equal(401, ex.Status);
        Assert.Equal(1, tokens.Refreshes);
        Assert.Equal(2, spotify.RequestsTo("/v1/me").Count);
    }

    [Fact]
    public async Task ARevokedSignInSurfacesAsSignInRequired()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser();
        using var services = SpotifyTestServices.Create(spotify);
        var tokens = services.UserTokens(spotify, user.Id);
        spotify.ExpireConsent(user.Id);
        spotify.ExpireAccessTokens();

        await Assert.ThrowsAsync<SpotifySignInRequiredException>(() => services.Clients.Create(tokens).GetMeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task APlaylistIsCreatedPrivateAndFilledAHundredUrisAtATime()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser();
        var tracks = spotify.Data.GenerateCatalog(250, 20);
        using var services = SpotifyTestServices.Create(spotify);
        var client = services.Clients.Create(services.UserTokens(spotify, user.Id));

        var playlist = await client.CreatePlaylistAsync("Recs · fast · energetic", "made by Recs", CancellationToken.None);
        var snapshot = await client.AddPlaylistItemsAsync(playlist.Id, tracks.Select(t => t.Uri).ToList(), CancellationToken.None);

        var recorded = Assert.Single(spotify.Data.PlaylistsSnapshot());
        Assert.False(recorded.Public);
        Assert.Equal("Recs · fast · energetic", recorded.Name);
        Assert.Equal(tracks.Select(t => t.Uri), recorded.Uris);
        Assert.Equal(3, services.Counter.Count("POST /playlists/{id}/items", 201));
        Assert.NotNull(snapshot);
    }

    [Fact]
    public async Task ANextLinkToAnotherHostIsNotFollowedWithTheToken()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser();
        using var services = SpotifyTestServices.Create(spotify);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            services.Clients.Create(services.UserTokens(spotify, user.Id)).GetSavedTracksPageAsync("https://evil.example/v1/me/tracks?offset=50", CancellationToken.None));
        Assert.Empty(spotify.ApiRequests);
    }
}
