using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Browser;

namespace Recs.Tests.Browser;

/// <summary>The admin's journey in Debian Chromium, through the real app, its hosted jobs and its real trainer.</summary>
public sealed class AdminJourneyBrowserTests
{
    [BrowserFact]
    public async Task AnAdminImportsACatalogWatchesItTrainsComparesAndActivatesTheNewModel()
    {
        using var files = new TempDirectory();
        var csv = WriteKaggleCsv(files.File("tracks.csv"), trackCount: 300);

        // No Spotify credentials: the demo listener is an admin (the demo is on).
        await using var factory = new RecsWebFactory().With("Spotify:ClientId", "").With("Spotify:ClientSecret", "");
        await using var browser = await BrowserSession.StartAsync(factory);
        await browser.JourneyAsync(async () =>
        {
            var page = browser.Page;

            // Sign in.
            await browser.GotoAsync("/signin?returnUrl=%2Fadmin");
            await page.GetByTestId("signin-demo").ClickAsync();
            await browser.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("jobs-empty")).ToBeVisibleAsync();
            // Spotify is not configured: enrichment is not offered, and the page says which keys are missing.
            await Assertions.Expect(page.GetByTestId("enrichment-not-configured")).ToContainTextAsync("Spotify:ClientId and Spotify:ClientSecret");
            await Assertions.Expect(page.GetByTestId("start-enrichment-button")).ToHaveCountAsync(0);
            await browser.ScreenshotAsync("1-jobs");

            // Upload the catalog and watch the import.
            await page.Locator("[data-testid=start-import-catalog] input[type=file]").SetInputFilesAsync(csv);
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/admin/jobs/[^/]+$"), new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync(new Regex("Succeeded|Failed"), new() { Timeout = 60_000 });
            Assert.Equal("Succeeded", await page.GetByTestId("job-status").TextContentAsync());
            await Assertions.Expect(page.GetByTestId("job-counts")).ToHaveTextAsync("300 of 300");
            await Assertions.Expect(page.GetByTestId("job-message")).ToContainTextAsync("300 tracks imported");
            await browser.ScreenshotAsync("2-import-done");

            // Start training from the jobs page and watch it.
            await page.GetByRole(AriaRole.Link, new() { Name = "← Jobs" }).ClickAsync();
            await page.Locator("[data-testid=start-training] input").First.FillAsync("5");
            await page.Locator("[data-testid=start-training] input[type=checkbox]").UncheckAsync();
            await page.GetByTestId("start-training-button").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/admin/jobs/[^/]+$"), new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("job-progress-bar")).ToBeVisibleAsync();
            await browser.ScreenshotAsync("3-training");
            await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync(new Regex("Succeeded|Failed"), new() { Timeout = 420_000 });
            Assert.Equal("Succeeded", await page.GetByTestId("job-status").TextContentAsync() + (await page.GetByTestId("job-error").CountAsync() > 0 ? await page.GetByTestId("job-error").TextContentAsync() : ""));
            // The result reads like the models page (metrics beside the baselines), not a raw JSON dump.
            var version = (await page.GetByTestId("job-model-version").TextContentAsync())!.Trim();
            Assert.Matches("^[0-9]{8}", version);
            await Assertions.Expect(page.GetByTestId("job-training-result").GetByTestId("model-metrics-full")).ToContainTextAsync("global mean");
            await Assertions.Expect(page.GetByTestId("job-result")).Not.ToBeVisibleAsync();
            var resultBox = await page.GetByTestId("job-training-result").BoundingBoxAsync();
            Assert.True(resultBox!.Height < 700, $"the training result is {resultBox.Height:0} px tall");
            await browser.ScreenshotAsync("4-training-done");

            // See the metrics beside the baselines, then activate the new version.
            await page.GetByTestId("job-see-models").ClickAsync();
            await Assertions.Expect(page.GetByTestId("models-none-active")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("model-metrics-full")).ToContainTextAsync("energy");
            await Assertions.Expect(page.GetByTestId("model-metrics-full")).ToContainTextAsync("global mean");
            await Assertions.Expect(page.GetByTestId("model-agreement-full")).ToHaveTextAsync(new Regex(@"^\d+\.\d%$"));
            await browser.ScreenshotAsync("5-models");

            // A listener (the demo listener) uploads their library: before activation no model serves them yet.
            var library = WriteLibraryExport(files.File("library.csv"), trackCount: 20);
            await browser.GotoAsync("/library/sources");
            await page.Locator("input[type=file]").SetInputFilesAsync(library);
            await Assertions.Expect(page.GetByTestId("upload-result")).ToContainTextAsync("Stored 20 tracks");
            await browser.GotoAsync("/library");
            await Assertions.Expect(page.GetByTestId("library-no-model")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await browser.GotoAsync("/admin/models");
            await page.GetByTestId("model-activate").ClickAsync();
            await Assertions.Expect(page.GetByTestId("model-active")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("models-none-active")).ToHaveCountAsync(0);
            await browser.ScreenshotAsync("6-activated");

            // The listener's coverage now comes from the new model: every track of their library is clustered.
            await browser.GotoAsync("/library");
            await Assertions.Expect(page.GetByTestId("coverage-pct")).ToHaveTextAsync("100.0", new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("coverage-total")).ToHaveTextAsync("20");
            await browser.ScreenshotAsync("7-listener-coverage");

            // What listeners are served now: the app reports the new version as its active model.
            using var http = new HttpClient { BaseAddress = browser.BaseAddress };
            var health = await http.GetFromJsonAsync<JsonElement>("/health");
            var model = health.GetProperty("checks").GetProperty("model");
            Assert.Equal("Healthy", model.GetProperty("status").GetString());
            Assert.Equal(version, model.GetProperty("data").GetProperty("model_version").GetString());
            Assert.Equal(300, model.GetProperty("data").GetProperty("catalog_tracks").GetInt32());
        });
    }

    /// <summary>A small Exportify export of tracks that are not in the catalog (so every one of them needs the model).</summary>
    private static string WriteLibraryExport(string path, int trackCount)
    {
        string[] genres = ["pop", "rock", "edm", "jazz", "metal", "folk"];
        var sb = new StringBuilder("Track URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Explicit,Genres\n");
        for (var i = 0; i < trackCount; i++)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"spotify:track:{i:D4}LibraryTrackNotInC,Library song {i},Album,Artist {i % 60},2015-05-01,{200_000 + i},{40 + i},false,{genres[i % genres.Length]}\n");
        }

        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>A synthetic Kaggle-format catalog where genre drives energy, loudness and tempo (a relationship to learn).</summary>
    private static string WriteKaggleCsv(string path, int trackCount)
    {
        var random = new Random(1);
        string[] genres = ["pop", "rock", "edm", "jazz", "metal", "folk"];
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var sb = new StringBuilder(",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre\n");
        for (var i = 0; i < trackCount; i++)
        {
            var id = new string(Enumerable.Range(0, 22).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var genre = random.Next(genres.Length);
            var artist = random.Next(60);
            var energy = Math.Clamp(0.15 * genre + 0.1 + (random.NextDouble() - 0.5) * 0.2, 0, 1);
            sb.Append(CultureInfo.InvariantCulture,
                $"{i},{id},\"Artist {artist}\",Album,\"Song {i}\",{random.Next(100)},{random.Next(100_000, 300_000)},False,{random.NextDouble():0.000},{energy:0.000},{random.Next(12)},{-20 + 10 * energy:0.00},1,0.05,0.3,0.0,0.1,{random.NextDouble():0.000},{80 + 60 * energy:0.0},4,{genres[genre]}\n");
        }

        File.WriteAllText(path, sb.ToString());
        return path;
    }
}
