using Bunit;
using Recs.Tests.TestSupport.Listener;
using Recs.Web.Components.Pages.Library;

namespace Recs.Tests.Web.Components;

public sealed class LibraryPageTests : ListenerComponentContext
{
    [Fact]
    public async Task WhileClusteringThePageShowsItIsLoading()
    {
        var gate = new TaskCompletionSource();
        Clusterer.Gate = gate.Task;
        await SaveLibraryAsync(LibraryBuilder.Tracks(catalog: 3));

        var cut = Render<LibraryPage>();

        cut.WaitForElement("[data-testid=library-loading]");
        gate.SetResult();
        cut.WaitForElement("[data-testid=library-content]");
    }

    [Fact]
    public void WithoutALibraryThePagePointsToTheSources()
    {
        var cut = Render<LibraryPage>();

        var empty = cut.WaitForElement("[data-testid=library-empty]");
        Assert.NotNull(empty.QuerySelector("a[href='/library/sources']"));
    }

    [Fact]
    public async Task WithoutAnActiveModelThePageSaysSo()
    {
        Clusterer.ActiveModelVersion = null;
        await SaveLibraryAsync(LibraryBuilder.Tracks(catalog: 3));

        var cut = Render<LibraryPage>();

        cut.WaitForElement("[data-testid=library-no-model]");
    }

    [Fact]
    public async Task AFailureShowsAnErrorThatCanBeRetried()
    {
        Clusterer.Failure = new InvalidOperationException("model files are missing");
        await SaveLibraryAsync(LibraryBuilder.Tracks(catalog: 3));

        var cut = Render<LibraryPage>();

        var error = cut.WaitForElement("[data-testid=library-error]");
        Assert.Contains("model files are missing", error.TextContent);
        Clusterer.Failure = null;
        cut.Find("[data-testid=library-error] button").Click();
        cut.WaitForElement("[data-testid=library-content]");
    }

    [Fact]
    public async Task ALibraryShowsItsCoverageAndOneCardPerCluster()
    {
        await SaveLibraryAsync(LibraryBuilder.Tracks(catalog: 10, predicted: 2));

        var cut = Render<LibraryPage>();

        cut.WaitForElement("[data-testid=library-content]");
        Assert.Equal("12", cut.Find("[data-testid=coverage-total]").TextContent);
        Assert.Equal("100.0", cut.Find("[data-testid=coverage-pct]").TextContent);
        Assert.Equal("10", cut.Find("[data-testid=coverage-catalog]").TextContent);
        Assert.Equal("2", cut.Find("[data-testid=coverage-predicted]").TextContent);
        var cards = cut.FindAll("[data-testid=cluster-card]");
        Assert.Equal(2, cards.Count);
        // Biggest first: 10 slow tracks, then 2 fast ones.
        Assert.Contains("slow · calm", cards[0].TextContent);
        Assert.Contains("fast · energetic", cards[1].TextContent);
        Assert.NotNull(cards[1].QuerySelector("a[href='/clusters/0']"));
        Assert.NotNull(cut.Find("[data-testid=scatter] svg"));
    }

    [Fact]
    public async Task TurningTheRecsModelOffDropsPredictedTracksAndIsRemembered()
    {
        await SaveLibraryAsync(LibraryBuilder.Tracks(catalog: 6, predicted: 2));
        var cut = Render<LibraryPage>();
        cut.WaitForElement("[data-testid=library-content]");

        cut.Find("input[data-testid=use-recs-model]").Change(false);

        cut.WaitForAssertion(() => Assert.Equal("75.0", cut.Find("[data-testid=coverage-pct]").TextContent));
        Assert.Equal("2", cut.Find("[data-testid=coverage-unclustered]").TextContent);
        Assert.False(await Store.GetUseRecsModelAsync("alice"));

        var again = Render<LibraryPage>();
        again.WaitForAssertion(() => Assert.Equal("75.0", again.Find("[data-testid=coverage-pct]").TextContent));

        again.Find("input[data-testid=use-recs-model]").Change(true);
        again.WaitForAssertion(() => Assert.Equal("100.0", again.Find("[data-testid=coverage-pct]").TextContent));
    }

    [Fact]
    public async Task TurningTheRecsModelOffAfterClusteringWithItClustersNothingMore()
    {
        await SaveLibraryAsync(LibraryBuilder.Tracks(catalog: 6, predicted: 2));
        var cut = Render<LibraryPage>();
        cut.WaitForElement("[data-testid=library-content]");

        cut.Find("input[data-testid=use-recs-model]").Change(false);

        cut.WaitForAssertion(() => Assert.Equal("75.0", cut.Find("[data-testid=coverage-pct]").TextContent));
        Assert.Equal(1, Clusterer.Calls);
    }

    [Fact]
    public async Task AToggleThatHasToClusterShowsTheSwitchBusyBeforeClustering()
    {
        await SaveLibraryAsync(LibraryBuilder.Tracks(catalog: 6, predicted: 2));
        var cut = Render<LibraryPage>();
        cut.WaitForElement("[data-testid=library-content]");
        Clusterer.ActiveModelVersion = "test-model-2"; // nothing cached for this model: the toggle has to cluster
        string? shownWhileClustering = null;
        Clusterer.OnCluster = () => shownWhileClustering ??= cut.Markup;

        cut.Find("input[data-testid=use-recs-model]").Change(false);

        cut.WaitForAssertion(() => Assert.Equal("75.0", cut.Find("[data-testid=coverage-pct]").TextContent));
        Assert.NotNull(shownWhileClustering);
        Assert.Contains("mud-progress-circular", shownWhileClustering);
        Assert.DoesNotContain("mud-progress-circular", cut.Markup);
    }

    [Fact]
    public void TheDemoListenerGetsTheDemoLibraryOnFirstVisit()
    {
        SignIn("demo", demo: true);

        var cut = Render<LibraryPage>();

        cut.WaitForElement("[data-testid=library-content]");
        Assert.Equal("16", cut.Find("[data-testid=coverage-total]").TextContent);
    }

    [Fact]
    public async Task ChangingTheScatterAxesKeepsThePlotWithinItsPointBudget()
    {
        ListenerOptions.ScatterMaxPoints = 100;
        await SaveLibraryAsync(LibraryBuilder.Tracks(catalog: 400));

        var cut = Render<LibraryPage>();

        cut.WaitForElement("[data-testid=library-content]");
        var scatter = cut.FindComponent<LibraryScatter>();
        Assert.True(scatter.Instance.Sampled);
        Assert.InRange(scatter.Instance.Series.Sum(s => s.Points.Count), 90, 100);
        await cut.InvokeAsync(() => scatter.Instance.AxesChanged.InvokeAsync((4, 0)));
        Assert.Equal(4, scatter.Instance.X);
        Assert.Equal(0, scatter.Instance.Y);
    }
}
