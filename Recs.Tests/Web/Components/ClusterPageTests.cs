using Bunit;
using Recs.Core;
using Recs.Tests.TestSupport.Listener;
using Recs.Web.Components.Pages.Clusters;

namespace Recs.Tests.Web.Components;

public sealed class ClusterPageTests : ListenerComponentContext
{
    // 20 catalog tracks with tempos 70 + 7i mod 120 (fast ones go to cluster 0), 4 predicted, 1 local file.
    private Task SaveAsync() => SaveLibraryAsync(LibraryBuilder.Tracks(catalog: 20, predicted: 4, local: 1));

    private IRenderedComponent<ClusterPage> RenderCluster(int id)
    {
        var cut = Render<ClusterPage>(p => p.Add(x => x.Id, id));
        return cut;
    }

    [Fact]
    public async Task AnUnknownClusterSaysSo()
    {
        await SaveAsync();

        var cut = RenderCluster(7);

        cut.WaitForElement("[data-testid=cluster-not-found]");
    }

    [Fact]
    public void WithoutALibraryTheClusterPagePointsToTheSources()
    {
        var cut = RenderCluster(0);

        cut.WaitForElement("[data-testid=cluster-empty]");
    }

    [Fact]
    public async Task AClusterShowsItsTracksMarkedCatalogOrPredicted()
    {
        await SaveAsync();

        var cut = RenderCluster(1);

        cut.WaitForElement("[data-testid=cluster-content]");
        Assert.Equal("slow · calm", cut.Find("[data-testid=cluster-name]").TextContent);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=source-catalog]")));
        Assert.NotEmpty(cut.FindAll("[data-testid=source-predicted]"));
    }

    [Fact]
    public async Task TheSourceColumnNamesEachSourceAndTheFilterKeepsOneOfThem()
    {
        // Catalog songs 8 and 9 (tempos 126, 133: cluster 0) are said to come from the listener's file and from a service.
        Clusterer.RealSources[$"cat{8:D19}"] = FeatureSource.File;
        Clusterer.RealSources[$"cat{9:D19}"] = FeatureSource.Service;
        await SaveAsync();
        var cut = RenderCluster(0);
        cut.WaitForElement("[data-testid=cluster-content]");

        cut.WaitForAssertion(() => Assert.Equal("your file", cut.Find("[data-testid=source-file]").TextContent.Trim()));
        Assert.Equal("features service", cut.Find("[data-testid=source-service]").TextContent.Trim());
        Assert.All(cut.FindAll("[data-testid=source-catalog]"), c => Assert.Equal("catalog", c.TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=filtered-count]"));

        cut.Find("[data-testid=source-filter-file]").Click();

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=filtered-count]").TextContent));
        Assert.Equal(["Catalog song 8"], cut.FindAll("[data-testid=track-title]").Select(e => e.TextContent));
        Assert.Contains("source=file", cut.Find("[data-testid=export-filtered]").GetAttribute("href"));

        cut.Find("[data-testid=source-filter-service]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["Catalog song 9"], cut.FindAll("[data-testid=track-title]").Select(e => e.TextContent)));
        Assert.Contains("source=service", cut.Find("[data-testid=export-filtered]").GetAttribute("href"));

        cut.Find("[data-testid=source-filter-predicted]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=source-predicted]")));
        Assert.Empty(cut.FindAll("[data-testid=source-catalog]"));
        Assert.Empty(cut.FindAll("[data-testid=source-file]"));

        // Clicking the selected chip again clears the filter: every source is back.
        cut.Find("[data-testid=source-filter-predicted]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=filtered-count]")));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=source-catalog]")));
        Assert.NotEmpty(cut.FindAll("[data-testid=source-file]"));
    }

    [Fact]
    public async Task ABpmRangeNarrowsTheTableAndHalfDoubleWidensIt()
    {
        await SaveAsync();
        var cut = RenderCluster(0);
        cut.WaitForElement("[data-testid=cluster-content]");

        cut.Find("input[data-testid=bpm-min]").Change("160");
        cut.Find("input[data-testid=bpm-max]").Change("180");

        // Cluster 0 holds tempos ≥ 120: 161, 168, 175 are in 160–180.
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=filtered-count]").TextContent));
        Assert.Contains("bpm_min=160", cut.Find("[data-testid=export-filtered]").GetAttribute("href"));

        cut.Find("input[data-testid=half-double]").Change(true);

        // Half and double tempo also counts tempos 80–90 — but those are in cluster 1, so this cluster's count stays.
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=filtered-count]").TextContent));
        cut.Find("input[data-testid=bpm-min]").Change("240");
        cut.Find("input[data-testid=bpm-max]").Change("300");
        // Doubling 120–147 reaches 240–294: those tracks come back only with half/double on.
        cut.WaitForAssertion(() => Assert.NotEqual("0", cut.Find("[data-testid=filtered-count]").TextContent));
        cut.Find("input[data-testid=half-double]").Change(false);
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=filtered-count]").TextContent));
    }

    [Fact]
    public async Task TheFeatureRangesAreBehindMoreFiltersAndStayWhileInUse()
    {
        await SaveAsync();
        var cut = RenderCluster(0);
        cut.WaitForElement("[data-testid=cluster-content]");
        // Not rendered until asked for: an open page holds only what it shows (ADR-180).
        Assert.Empty(cut.FindAll("input[data-testid=danceability-max]"));

        cut.Find("[data-testid=more-filters]").Click();
        cut.Find("input[data-testid=danceability-max]").Change("0.1");

        // Every track of the test library dances at 0.5 or more.
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=filtered-count]").TextContent));
        cut.WaitForElement("[data-testid=no-tracks]");
        // A range in use cannot be hidden: "Fewer filters" is off while it filters.
        cut.Find("[data-testid=more-filters]").Click();
        Assert.NotNull(cut.Find("input[data-testid=danceability-max]"));
    }

    [Fact]
    public async Task SimilarTracksAreShownWithTheirFeatures()
    {
        await SaveAsync();
        var cut = RenderCluster(1);
        cut.WaitForElement("[data-testid=cluster-content]");

        cut.WaitForElement("[data-testid=similar-button]").Click();

        var row = cut.WaitForElement("[data-testid=similar-row]");
        Assert.Contains("Near neighbour", row.TextContent);
        Assert.Contains("0.42", row.TextContent);
    }

    [Fact]
    public async Task WhenSimilarTracksAreUnavailableThePageSaysWhy()
    {
        Similar.Available = false;
        await SaveAsync();
        var cut = RenderCluster(1);
        cut.WaitForElement("[data-testid=cluster-content]");

        cut.WaitForElement("[data-testid=similar-button]").Click();

        cut.WaitForElement("[data-testid=similar-unavailable]");
    }

    [Fact]
    public async Task SavingAPlaylistSendsTheClusterWithoutLocalFilesAndLinksToIt()
    {
        await SaveAsync();
        var cut = RenderCluster(0);
        cut.WaitForElement("[data-testid=cluster-content]");

        cut.Find("[data-testid=save-playlist]").Click();

        var result = cut.WaitForElement("[data-testid=playlist-result]");
        var (name, ids) = Assert.Single(Spotify.Playlists);
        Assert.Equal("Recs · fast · energetic", name);
        Assert.Contains(ids, id => id is null);
        Assert.Contains("1 local files were skipped", result.TextContent);
        Assert.Equal("https://open.spotify.com/playlist/pl1", cut.Find("[data-testid=playlist-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task TheDemoListenerCannotSaveToSpotify()
    {
        SignIn("demo", demo: true);
        await Store.SaveAsync("demo", Recs.Core.Libraries.LibrarySource.Demo, LibraryBuilder.Tracks(catalog: 5));

        var cut = RenderCluster(1);

        cut.WaitForElement("[data-testid=cluster-content]");
        Assert.Empty(cut.FindAll("[data-testid=save-playlist]"));
        // The feature does not vanish: the button is there, disabled, with the reason beside it.
        Assert.True(cut.Find("[data-testid=save-playlist-unavailable]").HasAttribute("disabled"));
        Assert.Contains("demo has no Spotify account", cut.Find("[data-testid=playlist-unavailable]").TextContent);
    }

    [Fact]
    public async Task ClickingBpmThenEnergySortsByBothShowsTheOrderAndAThirdClickRemovesTheKey()
    {
        await SaveAsync();
        var cut = RenderCluster(0);
        cut.WaitForElement("[data-testid=cluster-content]");
        cut.WaitForElement("[data-testid=sort-none]");

        cut.Find("[data-testid=sort-tempo]").Click();
        cut.Find("[data-testid=sort-energy]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["1 BPM ↑", "2 Energy ↑"], cut.FindAll("[data-testid=sort-chip]").Select(Chip)));
        Assert.Contains("sort=tempo,energy", Uri.UnescapeDataString(cut.Find("[data-testid=export-cluster]").GetAttribute("href")!));
        cut.WaitForAssertion(() => Assert.Equal(Titles(cut).OrderBy(Tempo), Titles(cut)));
        Assert.True(Titles(cut).Count > 3);

        cut.Find("[data-testid=sort-tempo]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["1 BPM ↓", "2 Energy ↑"], cut.FindAll("[data-testid=sort-chip]").Select(Chip)));
        cut.WaitForAssertion(() => Assert.Equal(Titles(cut).OrderByDescending(Tempo), Titles(cut)));

        cut.Find("[data-testid=sort-tempo]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["1 Energy ↑"], cut.FindAll("[data-testid=sort-chip]").Select(Chip)));

        cut.Find("[data-testid=sort-clear]").Click();
        cut.WaitForElement("[data-testid=sort-none]");
        Assert.DoesNotContain("sort=", cut.Find("[data-testid=export-cluster]").GetAttribute("href"));
    }

    private static string Chip(AngleSharp.Dom.IElement chip) => chip.TextContent.Trim();

    private static List<string> Titles(IRenderedComponent<ClusterPage> cut)
        => cut.FindAll("[data-testid=track-title]").Select(e => e.TextContent).Where(t => t.StartsWith("Catalog song ", StringComparison.Ordinal)).ToList();

    // The catalog tracks in view (predicted ones have model-made tempos); "Catalog song i" has tempo 70 + 7i mod 120 (LibraryBuilder).
    private static int Tempo(string title) => 70 + (7 * int.Parse(title["Catalog song ".Length..]) % 120);
}
