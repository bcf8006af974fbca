using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Recs.Core.Catalog;
using Recs.Core.Libraries;
using Recs.Core.RealFeatures;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Browser;
using Recs.Tests.TestSupport.Listener;

namespace Recs.Tests.Browser;

/// <summary>
/// A listener uploads an export that carries audio features and sees its clusters built from the file's own features
/// (issue 12.1): a real shared export when ../shared/data is present, else one shaped like it, built here.
/// </summary>
public sealed class RealFeaturesBrowserTests
{
    static RealFeaturesBrowserTests() => Assertions.SetDefaultExpectTimeout(20_000);

    [BrowserFact]
    public async Task AnExportWithFeaturesClustersFromTheListenersOwnFile()
    {
        await using var factory = new RecsWebFactory().With("Spotify:ClientId", "").With("Spotify:ClientSecret", "");
        var catalog = await ListenerModelSeed.TrainAsync(factory.DataDirectory);
        var export = SharedData.File("libraries/sjdoane/Liked_Songs.csv") ?? WriteExport(factory.DataDirectory, catalog);

        // What the file holds, read with the importer the upload uses: its distinct tracks and those carrying features.
        var read = LibraryFileReader.ReadFile(export);
        var tracks = LibraryDuplicates.Merge(read.Tracks).Tracks;
        var withFeatures = tracks.Count(t => t.KnownFeatures is not null);
        Assert.True(withFeatures > 0.9 * tracks.Count, $"{export}: only {withFeatures} of {tracks.Count} tracks carry features");

        await using var browser = await BrowserSession.StartAsync(factory);
        await browser.JourneyAsync(async () =>
        {
            var page = browser.Page;
            await browser.GotoAsync("/signin?returnUrl=%2Flibrary%2Fsources");
            await page.GetByTestId("signin-demo").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/library/sources"), new() { Timeout = 30_000 });
            await browser.WaitForInteractiveAsync();

            await page.Locator("input[type=file]").SetInputFilesAsync(export);
            await Assertions.Expect(page.GetByTestId("upload-result")).ToContainTextAsync($"Stored {tracks.Count.ToString("N0", CultureInfo.InvariantCulture)} tracks");
            await Assertions.Expect(page.GetByTestId("upload-result")).ToContainTextAsync("their own audio features are used");
            await browser.ScreenshotAsync("1-upload-with-features");

            await page.GetByTestId("see-clusters").ClickAsync();
            await Assertions.Expect(page.GetByTestId("library-content")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("coverage-total")).ToHaveTextAsync(tracks.Count.ToString("N0", CultureInfo.InvariantCulture));
            await Assertions.Expect(page.GetByTestId("coverage")).ToContainTextAsync("From your file");
            await Assertions.Expect(page.GetByTestId("coverage-file")).ToHaveTextAsync(withFeatures.ToString("N0", CultureInfo.InvariantCulture));
            await Assertions.Expect(page.GetByTestId("check-set")).ToContainTextAsync("of your tracks with known features");
            Assert.True(await page.GetByTestId("cluster-card").CountAsync() >= 2);
            await browser.ScreenshotAsync("2-library-from-file");

            // The Recs model off: the file's tracks stay clustered; only rows without features (if any) are listed by name.
            await page.Locator("input[data-testid=use-recs-model]").ClickAsync();
            await Assertions.Expect(page.GetByTestId("coverage-predicted")).ToHaveTextAsync("0");
            await Assertions.Expect(page.GetByTestId("coverage-file")).ToHaveTextAsync(withFeatures.ToString("N0", CultureInfo.InvariantCulture));
            await Assertions.Expect(page.GetByTestId("coverage-clustered")).ToHaveTextAsync(withFeatures.ToString("N0", CultureInfo.InvariantCulture));
            if (withFeatures < tracks.Count)
            {
                await page.GetByTestId("unclustered").GetByText("Not clustered").ClickAsync();
                await Assertions.Expect(page.GetByTestId("unclustered-track").First).ToBeVisibleAsync();
            }

            await browser.ScreenshotAsync("3-library-model-off");
        });
    }

    /// <summary>
    /// An Exportify export shaped like the real ones: BOM, tab-padded feature headers, comma-joined quoted genres, a
    /// track repeated (two playlists), one row without features, catalog tracks and new ones, all with features.
    /// </summary>
    private static string WriteExport(string directory, IReadOnlyList<CatalogTrack> catalog)
    {
        var sb = new StringBuilder("\uFEFFTrack URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Explicit,Added By,Added At,Genres,Record Label,"
            + "\t\t\t\tDanceability,Energy,Key,Loudness,Mode,Speechiness,Acousticness,Instrumentalness,Liveness,Valence,Tempo,Time Signature\n");
        var random = new Random(12);
        void Row(string id, string name, string artist, double dance, double energy, double loudness, double valence, double tempo) =>
            sb.Append(CultureInfo.InvariantCulture,
                $"spotify:track:{id},\"{name}\",\"Album\",\"{artist}\",2019-03-01,200000,40,false,,2024-01-01T00:00:00Z,\"pop,dance pop\",Label,{dance:0.000},{energy:0.000},5,{loudness:0.00},1,0.05,0.2,0,0.1,{valence:0.000},{tempo:0.000},4\n");
        foreach (var t in catalog.Take(40))
        {
            // The file's own measurement may differ from the catalog's: the file wins.
            Row(t.Id, t.Name, t.Artists.Replace(';', ','), t.Danceability, t.Energy, t.Loudness, t.Valence, t.Tempo);
        }

        for (var i = 0; i < 60; i++)
        {
            var energy = random.NextDouble();
            Row($"FileOnly{i:D14}", $"Song from my file {i}", $"Indie band {i % 9}", random.NextDouble(), energy, -25 + (20 * energy), random.NextDouble(), 70 + random.Next(110));
        }

        Row("FileOnly00000000000003", "Song from my file 3", "Indie band 3", 0.5, 0.5, -8, 0.5, 120); // repeated in a second playlist
        sb.Append("spotify:track:NoFeatures000000000001,\"A row without features\",\"Album\",\"Someone\",2020,200000,10,false,,2024-01-01T00:00:00Z,,Label,,,,,,,,,,,,\n");
        var path = Path.Combine(directory, "export-with-features.csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }
}
