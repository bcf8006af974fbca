using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Recs.Core.Catalog;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Browser;
using Recs.Tests.TestSupport.FakeSpotify;
using Recs.Tests.TestSupport.Listener;

namespace Recs.Tests.Browser;

/// <summary>The listener's journeys in Chromium against the real app, a real trained model, and the fake Spotify.</summary>
public sealed class ListenerBrowserTests
{
    // The shared 2-core machine can be slow to re-render after a click: wait as long as the session's default timeout.
    static ListenerBrowserTests() => Assertions.SetDefaultExpectTimeout(20_000);

    [BrowserFact]
    public async Task AListenerSignsInFetchesTheLibraryAndSavesAClusterAsAPlaylist()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser("runner", "Runner", accountId: "acc-runner");
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify);
        var catalog = await ListenerModelSeed.TrainAsync(factory.DataDirectory);
        SeedSavedTracks(spotify, user, catalog, inCatalog: 60, notInCatalog: 30);
        await using var browser = await BrowserSession.StartAsync(factory);
        await browser.JourneyAsync(async () =>
        {
            var page = browser.Page;

            // Sign in through the fake Spotify's consent page.
            await browser.GotoAsync("/signin?returnUrl=%2Flibrary%2Fsources");
            await page.GetByTestId("signin-spotify").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(spotify.AccountsBaseUrl)), new() { Timeout = 30_000 });
            await page.Locator("#agree").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/library/sources"), new() { Timeout = 30_000 });
            await browser.WaitForInteractiveAsync();

            // Fetch the library: progress n / total, then the stored library.
            await page.GetByTestId("fetch-spotify").ClickAsync();
            await Assertions.Expect(page.GetByTestId("fetch-result")).ToContainTextAsync("Fetched 91 tracks");
            await Assertions.Expect(page.GetByTestId("library-summary")).ToContainTextAsync("91 tracks");
            await browser.ScreenshotAsync("1-sources");

            await LibraryClustersToggleAndClusterPageAsync(browser, expectTotal: "91");

            // Save the (filtered) cluster as a new private playlist: the fake records it.
            await page.GetByTestId("save-playlist").ClickAsync();
            await Assertions.Expect(page.GetByTestId("playlist-result")).ToContainTextAsync("Saved");
            await Assertions.Expect(page.GetByTestId("playlist-link")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("open.spotify.com/playlist/"));
            var playlist = Assert.Single(spotify.Data.Playlists);
            Assert.False(playlist.Public);
            Assert.Equal(user.Id, playlist.OwnerId);
            Assert.NotEmpty(playlist.Uris);
            Assert.All(playlist.Uris, u => Assert.StartsWith("spotify:track:", u));
            await browser.ScreenshotAsync("4-playlist");

            await ExportCsvAsync(browser);
        });
    }

    [BrowserFact]
    public async Task AListenerUploadsAnExportAndSeesItsClusters()
    {
        await using var factory = new RecsWebFactory().With("Spotify:ClientId", "").With("Spotify:ClientSecret", "");
        var catalog = await ListenerModelSeed.TrainAsync(factory.DataDirectory);
        var export = Path.Combine(factory.DataDirectory, "my-library.csv");
        await File.WriteAllTextAsync(export, ExportifyCsv(catalog.Take(50), newTracks: 10, badRows: 2));
        await using var browser = await BrowserSession.StartAsync(factory);
        await browser.JourneyAsync(async () =>
        {
            var page = browser.Page;

            // Without Spotify credentials the demo listener signs in; an upload replaces their library.
            await browser.GotoAsync("/signin?returnUrl=%2Flibrary%2Fsources");
            await page.GetByTestId("signin-demo").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/library/sources"), new() { Timeout = 30_000 });
            await browser.WaitForInteractiveAsync();

            await page.Locator("input[type=file]").SetInputFilesAsync(export);
            await Assertions.Expect(page.GetByTestId("upload-result")).ToContainTextAsync("Stored 60 tracks");
            await Assertions.Expect(page.GetByTestId("upload-errors")).ToContainTextAsync("63");
            await browser.ScreenshotAsync("1-upload");

            await LibraryClustersToggleAndClusterPageAsync(browser, expectTotal: "60");
            await ExportCsvAsync(browser);
        });
    }

    private static async Task LibraryClustersToggleAndClusterPageAsync(BrowserSession browser, string expectTotal)
    {
        var page = browser.Page;
        await page.GetByTestId("see-clusters").ClickAsync();
        await Assertions.Expect(page.GetByTestId("library-content")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("coverage-total")).ToHaveTextAsync(expectTotal);
        var pctOn = await page.GetByTestId("coverage-pct").TextContentAsync();
        Assert.True(await page.GetByTestId("cluster-card").CountAsync() >= 2);
        await browser.ScreenshotAsync("2-library");

        // The Recs model off: only catalog tracks are clustered; on again: full coverage back.
        await page.Locator("input[data-testid=use-recs-model]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("coverage-pct")).Not.ToHaveTextAsync(pctOn!);
        await Assertions.Expect(page.GetByTestId("coverage-predicted")).ToHaveTextAsync("0");
        await page.Locator("input[data-testid=use-recs-model]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("coverage-pct")).ToHaveTextAsync(pctOn!);

        // The phone view of the library page.
        await page.SetViewportSizeAsync(390, 844);
        await browser.ScreenshotAsync("2-library-phone");
        await page.SetViewportSizeAsync(1280, 900);

        // Back at desktop width the responsive drawer re-lays the page out; start from a fresh render so the click
        // below lands on the card's link and not on a moving layout.
        await browser.GotoAsync("/library");
        await Assertions.Expect(page.GetByTestId("coverage-pct")).ToHaveTextAsync(pctOn!);

        // Open the biggest cluster, filter by BPM, ask for similar tracks.
        await page.GetByTestId("cluster-card").First.GetByRole(AriaRole.Link, new() { Name = "Open" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/clusters/"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("cluster-content")).ToBeVisibleAsync();
        // Rows are in (the virtualiser's spacer rows are aria-hidden and never visible).
        await Assertions.Expect(page.GetByTestId("similar-button").First).ToBeVisibleAsync();
        await page.Locator("input[data-testid=bpm-min]").FillAsync("60");
        await page.Locator("input[data-testid=bpm-max]").FillAsync("200");
        await page.Locator("input[data-testid=bpm-max]").PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("filtered-count")).ToBeVisibleAsync();
        await page.GetByTestId("similar-button").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("similar-row").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("3-cluster");
        // "Sounds like …" is a drawer over the page: close it to get back to the cluster.
        await page.GetByTestId("similar-close").ClickAsync();
        await Assertions.Expect(page.GetByTestId("similar-title")).Not.ToBeVisibleAsync();
    }

    private static async Task ExportCsvAsync(BrowserSession browser)
    {
        var page = browser.Page;
        var href = await page.GetByTestId("export-cluster").GetAttributeAsync("href");
        var response = await page.APIRequest.GetAsync(href!);
        Assert.True(response.Ok, $"export answered {response.Status}");
        var text = await response.TextAsync();
        Assert.StartsWith("track_id,name,artists,tempo", text);
        Assert.True(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 1);
    }

    private static void SeedSavedTracks(FakeSpotifyServer spotify, FakeUser user, IReadOnlyList<CatalogTrack> catalog, int inCatalog, int notInCatalog)
    {
        var artists = new Dictionary<string, FakeArtist>(StringComparer.Ordinal);
        FakeArtist Artist(string name) => artists.TryGetValue(name, out var a) ? a : artists[name] = spotify.Data.AddArtist(name, ["pop"]);
        var added = DateTimeOffset.UtcNow;
        foreach (var t in catalog.Take(inCatalog))
        {
            var track = spotify.Data.AddTrack(t.Name, t.Artists.Split(';').Select(Artist).ToList(), id: t.Id, durationMs: t.DurationMs);
            user.SavedTracks.Add(new FakeSavedTrack(added = added.AddMinutes(-1), track));
        }

        for (var i = 0; i < notInCatalog; i++)
        {
            var track = spotify.Data.AddTrack($"Brand new song {i}", [Artist($"New artist {i % 7}")], durationMs: 150_000 + 3_000 * i);
            user.SavedTracks.Add(new FakeSavedTrack(added = added.AddMinutes(-1), track));
        }

        user.SavedTracks.Add(new FakeSavedTrack(added.AddMinutes(-1), new FakeTrack { Id = null, Name = "Voice memo", IsLocal = true, DurationMs = 60_000 }));
    }

    private static string ExportifyCsv(IEnumerable<CatalogTrack> tracks, int newTracks, int badRows)
    {
        var sb = new System.Text.StringBuilder("Track URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Explicit,Added By,Added At,Genres,Record Label\n");
        foreach (var t in tracks)
        {
            sb.Append($"spotify:track:{t.Id},\"{t.Name}\",\"{t.AlbumName}\",\"{t.Artists}\",2020-01-01,{t.DurationMs},50,false,,2024-01-01T00:00:00Z,\"pop\",\"Label\"\n");
        }

        for (var i = 0; i < newTracks; i++)
        {
            sb.Append($"spotify:track:NewTrack{i:D14},\"Fresh song {i}\",\"Debut\",\"Newcomer {i % 3}\",2025-05-05,{180_000 + 7_000 * i},20,false,,2024-01-01T00:00:00Z,\"indie pop\",\"Label\"\n");
        }

        for (var i = 0; i < badRows; i++)
        {
            sb.Append("not-a-uri,\"Broken\",\"x\",\"y\",2020-01-01,abc,50,false,,,,\n");
        }

        return sb.ToString();
    }
}
