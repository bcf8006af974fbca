using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.Spotify;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeSpotify;
using Xunit.Abstractions;

namespace Recs.Tests.Core.Spotify;

public sealed class SpotifyLibraryFetcherTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(FakeSpotifyProfile.ExtendedQuota)]
    [InlineData(FakeSpotifyProfile.DevelopmentMode)]
    public async Task ATenThousandTrackLibraryIsFetchedWithTheMinimumNumberOfRequests(FakeSpotifyProfile profile)
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(profile);
        var user = spotify.AddUser();
        var library = spotify.Data.SeedLibrary(user, trackCount: 10_000, artistCount: 1_500, localFiles: 20, seed: 7);
        using var db = new TestDatabase();
        var artistIds = library.Where(t => !t.IsLocal).SelectMany(t => t.Artists).Select(a => a.Id!).Distinct().ToList();
        var alreadyKnown = artistIds.Take(100).ToList();
        await using (var context = db.CreateDbContext())
        {
            context.Artists.AddRange(alreadyKnown.Select(id => new Artist
            {
                NameKey = TextKeys.Normalize(spotify.Data.Artists[id].Name), Name = spotify.Data.Artists[id].Name, SpotifyId = id,
                Genres = "known genre", Source = SpotifyArtistStore.Source,
            }));
            await context.SaveChangesAsync();
        }

        using var services = SpotifyTestServices.Create(spotify, db);
        var progress = new List<LibraryFetchProgress>();

        var result = await services.Get<SpotifyLibraryFetcher>().FetchAsync(services.UserTokens(spotify, user.Id), new SynchronousProgress<LibraryFetchProgress>(progress.Add), CancellationToken.None);

        // The minimum from the data: pages of 50, then the unknown artists in batches of 50 (Extended Quota) or one by one
        // plus the single 403 that tells Development Mode (the mode is cached per app after that).
        var pages = (int)Math.Ceiling(10_000 / 50.0);
        var toLookUp = artistIds.Count - alreadyKnown.Count;
        var minimum = profile == FakeSpotifyProfile.ExtendedQuota ? pages + (int)Math.Ceiling(toLookUp / 50.0) : pages + 1 + toLookUp;
        output.WriteLine($"{profile}: {result.Requests} requests made, minimum {minimum} ({pages} pages, {toLookUp} artists to look up)");

        Assert.Equal(10_000, result.Tracks.Count);
        Assert.Equal(20, result.LocalFiles);
        Assert.Equal(20, result.Tracks.Count(t => t.IsLocal && t.Id is null));
        Assert.Equal(toLookUp, result.ArtistsLookedUp);
        Assert.Equal(minimum, result.Requests);
        Assert.Equal(minimum, spotify.ApiRequests.Count);
        Assert.Equal(profile == FakeSpotifyProfile.ExtendedQuota ? SpotifyMode.Extended : SpotifyMode.Development, result.Mode);
        Assert.Equal(new LibraryFetchProgress("tracks", 10_000, 10_000), progress.Last(p => p.Phase == "tracks"));
        Assert.Contains("known genre", result.Tracks.First(t => t.ArtistIds.Count > 0 && t.ArtistIds[0] == alreadyKnown[0]).Genres);
        Assert.Equal(profile == FakeSpotifyProfile.ExtendedQuota, result.Tracks.First(t => !t.IsLocal).Popularity is not null);

        // The looked-up artists are stored, so a second fetch looks up nothing.
        spotify.ClearLog();
        var again = await services.Get<SpotifyLibraryFetcher>().FetchAsync(services.UserTokens(spotify, user.Id), null, CancellationToken.None);
        Assert.Equal(0, again.ArtistsLookedUp);
        Assert.Equal(pages, spotify.ApiRequests.Count);
    }

    [Fact]
    public async Task AServerErrorMidwayIsRetriedAndAPersistentOneResumesFromTheLastPage()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.ExtendedQuota);
        var user = spotify.AddUser();
        spotify.Data.SeedLibrary(user, trackCount: 500, artistCount: 40, seed: 3);
        using var db = new TestDatabase();
        using var services = SpotifyTestServices.Create(spotify, db);
        var tokens = services.UserTokens(spotify, user.Id);
        var fetcher = services.Get<SpotifyLibraryFetcher>();

        // Page 3 fails once (retried inside the request); page 6 keeps failing past the retries.
        spotify.Faults.FailNth("/v1/me/tracks", 3, FakeFault.ServerError(503));
        spotify.Faults.FailNth("/v1/me/tracks", 7, FakeFault.ServerError(500), times: 10);
        var interrupted = await Assert.ThrowsAsync<LibraryFetchInterruptedException>(() => fetcher.FetchAsync(tokens, null, CancellationToken.None));
        Assert.Equal(250, interrupted.Checkpoint.Fetched);

        spotify.Faults.Clear();
        var result = await fetcher.FetchAsync(tokens, null, CancellationToken.None, interrupted.Checkpoint);

        Assert.Equal(500, result.Tracks.Count);
        Assert.Equal(500, result.Tracks.Select(t => t.Id).Distinct().Count());
        var pageLog = spotify.RequestsTo("/v1/me/tracks");
        var okOffsets = pageLog.Where(r => r.Status == 200).Select(r => r.Query).ToList();
        Assert.Equal(10, okOffsets.Count);
        Assert.Equal(okOffsets.Distinct().Count(), okOffsets.Count);
        Assert.Equal(1 + 4, pageLog.Count(r => r.Status >= 500));
    }

    [Fact]
    public async Task AccessTokensExpiringDuringALongFetchAreRefreshedWithRotation()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.DevelopmentMode);
        var user = spotify.AddUser();
        spotify.Data.SeedLibrary(user, trackCount: 1_000, artistCount: 120, seed: 5);
        spotify.AccessTokenMaxUses = 40;
        using var db = new TestDatabase();
        using var services = SpotifyTestServices.Create(spotify, db);
        var tokens = services.UserTokens(spotify, user.Id);

        var result = await services.Get<SpotifyLibraryFetcher>().FetchAsync(tokens, null, CancellationToken.None);

        Assert.Equal(1_000, result.Tracks.Count);
        var unauthorized = spotify.ApiRequests.Count(r => r.Status == 401);
        Assert.True(tokens.Refreshes >= 3, $"{tokens.Refreshes} refreshes");
        Assert.Equal(tokens.Refreshes, unauthorized);
        Assert.Equal(tokens.Refreshes, spotify.TokenGrants.Count(g => g == "refresh_token"));
        // Every token was used until it died, never after its replacement existed.
        Assert.Equal(tokens.IssuedTokens, spotify.ApiRequests.Select(r => r.Token).Distinct());
    }

    [Fact]
    public async Task AQuotaPauseDuringTheFetchCarriesItsResumeTimeAndResumes()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.DevelopmentMode);
        var user = spotify.AddUser();
        spotify.Data.SeedLibrary(user, trackCount: 200, artistCount: 30, seed: 9);
        spotify.Faults.FailFrom("/v1/artists/", 10, FakeFault.QuotaExceeded(retryAfterSeconds: 86_000));
        using var db = new TestDatabase();
        using var services = SpotifyTestServices.Create(spotify, db);
        var tokens = services.UserTokens(spotify, user.Id);
        var fetcher = services.Get<SpotifyLibraryFetcher>();

        var paused = await Assert.ThrowsAsync<LibraryFetchInterruptedException>(() => fetcher.FetchAsync(tokens, null, CancellationToken.None));
        Assert.NotNull(paused.PausedUntil);
        Assert.True(paused.PausedUntil > DateTimeOffset.UtcNow.AddHours(23));

        spotify.Faults.Clear();
        spotify.ClearLog();
        var result = await fetcher.FetchAsync(tokens, null, CancellationToken.None, paused.Checkpoint);

        Assert.Equal(200, result.Tracks.Count);
        Assert.Empty(spotify.RequestsTo("/v1/me/tracks"));
        // The artists stored before the pause are not asked for again.
        Assert.Equal(result.ArtistsLookedUp, spotify.RequestsTo("/v1/artists/").Count);
        Assert.True(result.ArtistsKnown >= 9, $"{result.ArtistsKnown} artists known after the pause");
    }
}
