using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Recs.Core.Libraries;
using Recs.Tests.TestSupport.Listener;
using Recs.Web.Components.Pages.Library;

namespace Recs.Tests.Web.Components;

public sealed class LibrarySourcesPageTests : ListenerComponentContext
{
    private const string Header = "Track URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Explicit,Added By,Added At,Genres,Record Label\n";

    private static string Row(int i) =>
        $"spotify:track:{i:D22},\"Song {i}\",\"Album\",\"Artist {i}\",2020-01-01,200000,50,false,,2024-01-01T00:00:00Z,\"pop\",\"Label\"\n";

    [Fact]
    public async Task AnUploadKeepsGoodRowsAndListsBadRowsByLine()
    {
        var cut = Render<LibrarySourcesPage>();
        cut.WaitForElement("[data-testid=no-library]");

        var csv = Header + Row(1) + Row(2) + "spotify:track:bad,\"Broken\",\"x\",\"y\",2020-01-01,abc,50,false,,,,\n" + Row(3);
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "liked.csv"));

        var result = cut.WaitForElement("[data-testid=upload-result]");
        Assert.Contains("Stored 3 tracks from liked.csv", result.TextContent);
        Assert.Contains("4", cut.Find("[data-testid=upload-errors] tbody td").TextContent);
        Assert.Contains("3 tracks", cut.Find("[data-testid=library-summary]").TextContent);
        var stored = await Store.GetSummaryAsync("alice");
        Assert.Equal(LibrarySource.Upload, stored!.Source);
        Assert.Equal(1, stored.RejectedRows);
    }

    [Fact]
    public async Task AFileOverTheSizeLimitIsRefusedAndTheStoredLibraryKept()
    {
        ListenerOptions.MaxUploadBytes = 1024;
        await SaveLibraryAsync(LibraryBuilder.Tracks(catalog: 2));
        var cut = Render<LibrarySourcesPage>();
        cut.WaitForElement("[data-testid=library-summary]");

        var csv = Header + string.Concat(Enumerable.Range(1, 40).Select(Row));
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "big.csv"));

        var result = cut.WaitForElement("[data-testid=upload-result]");
        Assert.Contains("the limit is 1 KB", result.TextContent);
        Assert.Equal(2, (await Store.GetSummaryAsync("alice"))!.TrackCount);
    }

    [Fact]
    public void AFileThatIsNotALibraryExportIsReportedClearly()
    {
        var cut = Render<LibrarySourcesPage>();
        cut.WaitForElement("[data-testid=no-library]");

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("hello,world\n1,2\n", "notes.csv"));

        var result = cut.WaitForElement("[data-testid=upload-result]");
        Assert.Contains("notes.csv", result.TextContent);
        Assert.Empty(cut.FindAll("[data-testid=library-summary]"));
    }

    [Fact]
    public async Task FetchingFromSpotifyShowsProgressThenStoresTheLibrary()
    {
        var gate = new TaskCompletionSource();
        Spotify.Gate = gate.Task;
        var cut = Render<LibrarySourcesPage>();
        cut.WaitForElement("[data-testid=no-library]");

        cut.Find("[data-testid=fetch-spotify]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Reading saved tracks: 3 / 6", cut.Find("[data-testid=fetch-progress-text]").TextContent));
        gate.SetResult();
        cut.WaitForAssertion(() => Assert.Contains("Fetched 6 tracks", cut.Find("[data-testid=fetch-result]").TextContent));
        Assert.Equal(LibrarySource.Spotify, (await Store.GetSummaryAsync("alice"))!.Source);
    }

    [Fact]
    public void TheDemoListenerCanLoadTheDemoLibraryButNotFetchFromSpotify()
    {
        SignIn("demo", demo: true);
        var cut = Render<LibrarySourcesPage>();
        cut.WaitForElement("[data-testid=no-library]");
        Assert.Empty(cut.FindAll("[data-testid=fetch-spotify]"));

        cut.Find("[data-testid=load-demo]").Click();

        cut.WaitForAssertion(() => Assert.Contains("16 tracks", cut.Find("[data-testid=library-summary]").TextContent));
    }
}
