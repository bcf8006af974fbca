using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core;
using Recs.Core.Clustering;
using Recs.Core.Models;
using Recs.Core.Prediction;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Listener;
using Recs.Web.Components.Pages.Library;
using Recs.Web.Libraries;

namespace Recs.Tests.Web.Components;

/// <summary>The library page with the real <see cref="LibraryClusterer"/>: sources, the check set and the unclustered list.</summary>
public sealed class LibraryPageRealFeaturesTests : ListenerComponentContext
{
    private static readonly FeatureScaler Scaler = new([120, 0.5, 0.5, 0.5, -10], [30, 0.2, 0.2, 0.2, 5]);
    private static readonly AudioFeatures Calm = new(80, 0.15, 0.3, 0.2, -20);
    private static readonly AudioFeatures Energetic = new(170, 0.9, 0.6, 0.7, -4);

    public LibraryPageRealFeaturesTests()
    {
        var clusters = new ClusterModel(Scaler, [Scaler.Scale(Calm), Scaler.Scale(Energetic)], ClusterModelInfo.Manual(2));
        var model = new RecsModel(new ModelVersion { Id = "v-real", K = 2 }, clusters,
            CatalogClusterLookup.Build(clusters, [new("cat-1", "catalog band", "catalog song", Energetic)]),
            new GenrePredictor(new Dictionary<string, AudioFeatures> { ["metal"] = Energetic }, Calm));
        Services.AddSingleton<IListenerClusterer>(new ModelClusterer(model));
    }

    private static List<TrackMetadata> Library() =>
    [
        .. Enumerable.Range(0, 6).Select(i => new TrackMetadata { Id = $"file-{i}", Name = $"From file {i}", Artists = ["band"], KnownFeatures = i % 2 == 0 ? Calm : Energetic }),
        new() { Id = "cat-1", Name = "Catalog Song", Artists = ["Catalog Band"] },
        new() { Id = "new-1", Name = "Riff Without Features", Artists = ["Metal Band"], Genres = ["metal"] },
        new() { Id = null, Name = "Voice memo", IsLocal = true },
    ];

    [Fact]
    public async Task CoverageSaysWhereFeaturesCameFromAndHowGoodPredictionsAreOnTheCheckSet()
    {
        await SaveLibraryAsync(Library());

        var cut = Render<LibraryPage>();

        cut.WaitForElement("[data-testid=library-content]");
        Assert.Equal("6", cut.Find("[data-testid=coverage-file]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=coverage-catalog]").TextContent);
        Assert.Equal("2", cut.Find("[data-testid=coverage-predicted]").TextContent);
        Assert.Contains("From your file", cut.Find("[data-testid=coverage]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=coverage-service]")); // no service answered: the column is not shown
        // Check set: 7 real tracks, all predicted as if unknown; the calm-predicted energetic ones are wrong.
        var check = cut.Find("[data-testid=check-set]").TextContent;
        Assert.Contains("On 7 of your tracks with known features, the predicted cluster was right", check);
        Assert.Contains("by chance", check);
        Assert.Empty(cut.FindAll("[data-testid=unclustered]"));
    }

    [Fact]
    public async Task WithTheModelOffTheTracksWithoutRealFeaturesAreListedByName()
    {
        await SaveLibraryAsync(Library());
        await Store.SetUseRecsModelAsync("alice", false);

        var cut = Render<LibraryPage>();

        cut.WaitForElement("[data-testid=library-content]");
        Assert.Equal("0", cut.Find("[data-testid=coverage-predicted]").TextContent);
        Assert.Equal("2", cut.Find("[data-testid=coverage-unclustered]").TextContent);
        // The names themselves are rendered by a Virtualize list, which needs a browser to measure its viewport: the
        // browser journey (RealFeaturesBrowserTests) opens the panel and sees them; here the panel and its count.
        var panel = cut.Find("[data-testid=unclustered]").TextContent;
        Assert.Contains("Not clustered: 2 tracks", panel);
        Assert.Empty(cut.FindAll("[data-testid=check-set]"));
    }

    private sealed class ModelClusterer(RecsModel model) : IListenerClusterer
    {
        public Task<string?> GetActiveModelVersionAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(model.VersionId);

        public Task<ClusteringResult> ClusterAsync(IReadOnlyList<TrackMetadata> tracks, bool useRecsModel, CancellationToken cancellationToken)
            => Task.FromResult(new LibraryClusterer().Cluster(model, tracks, useRecsModel));
    }
}
