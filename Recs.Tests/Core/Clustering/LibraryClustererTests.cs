using Recs.Core;
using Recs.Core.Clustering;
using Recs.Core.Models;
using Recs.Core.Prediction;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.Clustering;

public sealed class LibraryClustererTests
{
    // Three hand-placed clusters in z-scores: calm (0), middle (1), energetic (2).
    private static readonly FeatureScaler Scaler = new([120, 0.5, 0.5, 0.5, -10], [30, 0.2, 0.2, 0.2, 5]);
    private static readonly AudioFeatures Calm = new(80, 0.15, 0.3, 0.2, -20);
    private static readonly AudioFeatures Middle = new(120, 0.5, 0.5, 0.5, -10);
    private static readonly AudioFeatures Energetic = new(170, 0.9, 0.6, 0.7, -4);

    private static readonly ClusterModel Clusters = new(
        Scaler, [Scaler.Scale(Calm), Scaler.Scale(Middle), Scaler.Scale(Energetic)], ClusterModelInfo.Manual(3));

    private static readonly CatalogClusterLookup Catalog = CatalogClusterLookup.Build(Clusters,
    [
        new("cat-calm", "quiet band", "lullaby", Calm with { Energy = 0.1 }),
        new("cat-mid", "middle band", "song", Middle),
        new("cat-loud", "the loud ones", "shout", Energetic),
    ]);

    private static RecsModel Model(IAudioFeaturePredictor? predictor) =>
        new(new ModelVersion { Id = "v-test", K = 3 }, Clusters, Catalog, predictor);

    private static GenrePredictor Predictor() => new(
        new Dictionary<string, AudioFeatures> { ["metal"] = Energetic with { Tempo = 175 }, ["ambient"] = Calm with { Tempo = 70 } },
        Middle with { Valence = 0.55 });

    private static readonly TrackMetadata[] Library =
    [
        new() { Id = "cat-loud", Name = "Shout", Artists = ["The Loud Ones"] },                     // by id
        new() { Id = "other-id", Name = "Lullaby (Remastered 2011)", Artists = ["Quiet Band"] },    // by artist + title
        new() { Id = "new-1", Name = "Riff", Artists = ["Unknown"], Genres = ["metal"] },            // predicted
        new() { Id = null, Name = "Drone", Artists = ["Someone"], Genres = ["ambient"] },            // no id
        new() { Id = null, Name = "My Recording", Artists = [], IsLocal = true },                    // local file
        new() { Id = "new-2", Name = "Thing", Artists = ["Nobody"], KnownFeatures = Calm },          // own features ignored
    ];

    [Fact]
    public void CatalogTracksAreFoundByIdThenByArtistAndTitleAndTheRestStayUnclusteredWithoutTheModel()
    {
        var result = new LibraryClusterer().Cluster(Model(Predictor()), Library, useRecsModel: false);

        Assert.Equal(new Coverage(6, 2, 33.3, 2, 0, 1, 1, result.Coverage.Tiers), result.Coverage);
        Assert.All(result.Coverage.Tiers.Values, n => Assert.Equal(0, n));
        Assert.Equal(["new-1", null, null, "new-2"], result.Unclustered.Select(t => t.Id));
        Assert.All(result.Unclustered, t => Assert.Null(t.Features));
        var byId = result.Clusters.Single(c => c.Id == 2).Tracks.Single();
        Assert.Equal(("cat-loud", FeatureSource.Catalog, LibraryClusterer.MatchById), (byId.Id, byId.Source!.Value, byId.Match));
        var byName = result.Clusters.Single(c => c.Id == 0).Tracks.Single();
        Assert.Equal(("other-id", LibraryClusterer.MatchByArtistTitle, 0.1), (byName.Id, byName.Match, byName.Features!.Value.Energy));
        Assert.Equal("v-test", result.ModelVersion);
        Assert.False(result.UseRecsModel);
    }

    [Fact]
    public void WithTheModelEveryOtherTrackIsPredictedInOneBatchAndCoverageIsComplete()
    {
        var predictor = Predictor();

        var result = new LibraryClusterer().Cluster(Model(predictor), Library, useRecsModel: true);

        Assert.Equal(1, predictor.Calls);
        Assert.Equal(4, predictor.TracksPredicted);
        Assert.Empty(result.Unclustered);
        Assert.Equal((6, 6, 100.0, 2, 4), (result.Coverage.Total, result.Coverage.Clustered, result.Coverage.Pct, result.Coverage.FromCatalog, result.Coverage.Predicted));
        Assert.Equal(2, result.Coverage.Tiers[ConfidenceTier.GenresOnly]);
        Assert.Equal(2, result.Coverage.Tiers[ConfidenceTier.Nothing]);
        Assert.Equal(0, result.Coverage.Tiers[ConfidenceTier.ArtistKnown]);
        var tracks = result.Clusters.SelectMany(c => c.Tracks).ToDictionary(t => t.Name);
        Assert.Equal((2, FeatureSource.Predicted, ConfidenceTier.GenresOnly), (tracks["Riff"].Cluster!.Value, tracks["Riff"].Source!.Value, tracks["Riff"].Confidence!.Value));
        Assert.Equal(0, tracks["Drone"].Cluster);
        Assert.Equal(1, tracks["My Recording"].Cluster);
        // The file's own features are ground truth for evaluate, not an input: the track is predicted like any other.
        Assert.Equal(FeatureSource.Predicted, tracks["Thing"].Source);
        Assert.Equal(0.55, tracks["Thing"].Features!.Value.Valence);
        Assert.Null(tracks["Shout"].Confidence);
    }

    [Fact]
    public void WithoutAPredictorTheModelSwitchChangesNothing()
    {
        var on = new LibraryClusterer().Cluster(Model(null), Library, useRecsModel: true);

        Assert.Equal(4, on.Unclustered.Count);
        Assert.Equal(33.3, on.Coverage.Pct);
    }

    [Fact]
    public void ClustersAreOrderedByIdWithNameSizeAndCentroidInNativeUnits()
    {
        var result = new LibraryClusterer().Cluster(Model(Predictor()), Library, useRecsModel: true);

        Assert.Equal([0, 1, 2], result.Clusters.Select(c => c.Id));
        Assert.Equal([2, 2, 2], result.Clusters.Select(c => c.Size));
        Assert.All(result.Clusters, c => Assert.Equal(c.Size, c.Tracks.Count));
        Assert.Equal(Clusters.Names, result.Clusters.Select(c => c.Name));
        Assert.Equal(170, result.Clusters[2].Centroid.Tempo, 6);
        Assert.Equal(-4, result.Clusters[2].Centroid.Loudness, 6);
    }

    [Fact]
    public void AnEmptyLibraryHasFullCoverageAndNoClusters()
    {
        var result = new LibraryClusterer().Cluster(Model(Predictor()), [], useRecsModel: true);

        Assert.Empty(result.Clusters);
        Assert.Equal(100.0, result.Coverage.Pct);
    }

    [Fact]
    public void ALargeLibraryGivesEachTrackTheSameClusterAsClusteringItAlone()
    {
        var random = new Random(5);
        string[] genres = ["metal", "ambient", "pop"];
        var library = Enumerable.Range(0, 10_000).Select(i => new TrackMetadata
        {
            Id = i % 10 == 0 ? "cat-mid" : $"x{i}",
            Name = $"song {i}",
            Artists = [$"artist {random.Next(300)}"],
            Genres = [genres[random.Next(3)]],
        }).ToList();
        var clusterer = new LibraryClusterer();

        var batch = clusterer.Cluster(Model(Predictor()), library, useRecsModel: true);

        Assert.Equal(10_000, batch.Coverage.Clustered);
        Assert.Equal(1_000, batch.Coverage.MatchedById);
        var clusterOf = batch.Clusters.SelectMany(c => c.Tracks).ToDictionary(t => t.Name, t => t.Cluster);
        foreach (var track in library.Take(200))
        {
            var alone = clusterer.Cluster(Model(Predictor()), [track], useRecsModel: true);
            Assert.Equal(clusterOf[track.Name], alone.Clusters.Single().Tracks.Single().Cluster);
        }
    }
}
